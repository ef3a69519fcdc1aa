"""Token storage: what is saved is loaded back, clearing forgets, the file is replaced whole and kept private."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.tachoshare.token_storage import InMemoryTokenStorage, JsonFileTokenStorage, TokenSet, TokenStorage

token_sets = st.builds(
    TokenSet,
    access_token=st.text(min_size=1, max_size=40),
    refresh_token=st.none() | st.text(min_size=1, max_size=40),
    expires_at=st.none() | st.datetimes(timezones=st.just(UTC)),
    scope=st.none() | st.just("tachoshare"),
)


@pytest.fixture(params=["memory", "file"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> TokenStorage:
    return InMemoryTokenStorage() if request.param == "memory" else JsonFileTokenStorage(tmp_path / "t" / "tokens.json")


def test_save_load_clear(storage: TokenStorage) -> None:
    assert storage.load() is None
    first = TokenSet(access_token="a", refresh_token="r", expires_at=datetime(2026, 1, 1, tzinfo=UTC))
    storage.save(first)
    assert storage.load() == first
    second = first.model_copy(update={"refresh_token": "r2"})
    storage.save(second)
    assert storage.load() == second
    storage.clear()
    assert storage.load() is None


@given(token_sets)
def test_the_json_file_round_trips_any_tokens(tokens: TokenSet) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "tokens.json"
        JsonFileTokenStorage(path).save(tokens)
        assert JsonFileTokenStorage(path).load() == tokens
        assert path.stat().st_mode & 0o777 == 0o600
        assert [p.name for p in Path(directory).iterdir()] == ["tokens.json"], "a temporary file was left"


def test_expiry_margin() -> None:
    tokens = TokenSet(access_token="a", expires_at=datetime(2026, 1, 1, 12, tzinfo=UTC))
    margin = timedelta(minutes=2)
    assert not tokens.expires_within(datetime(2026, 1, 1, 11, 57, tzinfo=UTC), margin)
    assert tokens.expires_within(datetime(2026, 1, 1, 11, 58, tzinfo=UTC), margin)
    assert not TokenSet(access_token="a").expires_within(datetime(2099, 1, 1, tzinfo=UTC), margin)
