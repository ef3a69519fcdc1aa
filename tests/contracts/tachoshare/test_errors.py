"""Typed errors: one class per status, refined by the description (the six RDL refusals, the generation split)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.tachoshare import errors
from contracts.tachoshare.models import ErrorBody
from mockserver.tachoshare.rules import Refusal

REFUSAL_CLASSES = {
    Refusal.NOT_ENABLED: errors.RdlServiceNotEnabled,
    Refusal.NO_DEVICE: errors.NoTelematicsDevice,
    Refusal.NO_ATTEMPTS: errors.NoAttemptsRemaining,
    Refusal.IN_PROGRESS: errors.RdlInProgress,
    Refusal.SCHEDULED_TODAY: errors.RdlScheduledToday,
    Refusal.UP_TO_DATE: errors.RdlUpToDate,
}


def test_every_simulator_refusal_has_its_own_class() -> None:
    assert set(REFUSAL_CLASSES) == set(Refusal)
    for refusal, cls in REFUSAL_CLASSES.items():
        error = errors.api_error(409, ErrorBody(description=refusal.value))
        assert type(error) is cls
        assert isinstance(error, errors.RdlRefused)
        assert error.description == refusal.value


@given(st.text(max_size=80))
def test_an_unknown_409_description_is_still_an_rdl_refusal(description: str) -> None:
    error = errors.api_error(409, ErrorBody(description=description))
    assert isinstance(error, errors.RdlRefused)
    if description.strip() not in {r.value for r in Refusal}:
        assert type(error) is errors.RdlRefused


def test_the_generation_change_400_names_its_date() -> None:
    text = (
        "A different tachograph generation was detected on 2026-02-10. Please make two requests: the first one "
        "using this date in the downloadDate-to and the second one using this date in downloadDate-from."
    )
    error = errors.api_error(400, ErrorBody(description=text, url="u", traceId="t"))
    assert isinstance(error, errors.GenerationChanged)
    assert error.changed_on == date(2026, 2, 10)
    assert error.trace_id == "t"
    assert type(errors.api_error(400, ErrorBody(description="The date range must not be longer than 2 years."))) is (
        errors.RangeTooLong
    )
    assert type(errors.api_error(400, ErrorBody(description="Invalid parameter vin"))) is errors.BadRequest


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, errors.Unauthorized),
        (403, errors.Forbidden),
        (404, errors.NotFound),
        (406, errors.NotAcceptable),
        (429, errors.RateLimited),
        (500, errors.ServerError),
        (503, errors.ServerError),
        (501, errors.UnexpectedStatus),
        (418, errors.UnexpectedStatus),
    ],
)
def test_statuses_map_to_classes(status: int, cls: type[errors.ApiError]) -> None:
    error = errors.api_error(status, None, retry_after=3.0)
    assert type(error) is cls
    assert error.status_code == status and error.retry_after == 3.0 and error.description == ""
