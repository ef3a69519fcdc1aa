"""The Atmosphere header is parsed without a backtracking regex (issue 15, item 2)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mockserver.reveal.gateway import split_atmosphere

# The regex the parser replaces: the reference for what is accepted, used on short inputs only.
OLD = re.compile(r"^\s*Atmosphere\s+(?P<params>.+?)\s*,\s*Bearer\s+(?P<token>[^\s,]+)\s*$", re.IGNORECASE)
PIECES = st.sampled_from(
    ["Atmosphere", "atmosphere", "Bearer", "BEARER", " ", "  ", "\t", "\n", ",", "=", "a", "x=1", "tok", "ATMOSPHERE"]
)


@given(st.lists(PIECES, max_size=12).map("".join))
def test_the_parser_accepts_what_the_old_regex_accepted(header: str) -> None:
    match = OLD.match(header)
    split = split_atmosphere(header)
    assert (split is None) == (match is None), header
    if match is not None and split is not None:
        assert split[1] == match["token"]
        assert [p.strip() for p in split[0].split(",")] == [p.strip() for p in match["params"].split(",")]


def test_the_documented_forms_parse() -> None:
    assert split_atmosphere("Atmosphere atmosphere_app_id=fleetmatics-p-us-X, Bearer t") == (
        "atmosphere_app_id=fleetmatics-p-us-X",
        "t",
    )
    assert split_atmosphere("Atmosphere realm=http://atmosphere,atmosphere_app_id=X, Bearer t") is not None


def test_a_megabyte_of_spaces_is_refused_at_once() -> None:
    """What held the event loop for 17.7 s with 2,000 spaces: with a megabyte it must still come back (progress,
    not speed: the old regex would not return within the test run)."""
    assert split_atmosphere("Atmosphere" + " " * 1_000_000 + "x") is None
    assert split_atmosphere("Atmosphere a" + " " * 1_000_000 + ", Bearer") is None
