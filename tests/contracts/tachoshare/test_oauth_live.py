"""Webfleet OAuth against the live simulator: consent, code exchange, rotating refresh, storage, revoke."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import requests

from contracts.tachoshare import errors
from contracts.tachoshare.client import TachoShareClient
from contracts.tachoshare.oauth import WebfleetOAuth
from contracts.tachoshare.token_storage import InMemoryTokenStorage, JsonFileTokenStorage, TokenSet
from tests.conftest import LiveServer
from tests.contracts.tachoshare.live_support import consent, consented_oauth, oauth_settings

pytestmark = pytest.mark.live


def advance(live: LiveServer, seconds: int) -> None:
    requests.post(f"{live.base_url}/_sim/clock/advance", json={"seconds": seconds}, timeout=10).raise_for_status()


@pytest.mark.parametrize("pkce", [True, False])
def test_consent_then_code_exchange_gives_tokens_that_read_the_api(live: LiveServer, pkce: bool) -> None:
    storage = InMemoryTokenStorage()
    oauth = consented_oauth(live, storage, pkce=pkce)
    stored = storage.load()
    assert stored is not None and stored.refresh_token and stored.scope == "tachoshare"
    assert stored.expires_at == live.sim.clock.now() + timedelta(hours=4)
    client = TachoShareClient(f"{live.base_url}/tachoshare", oauth, clock=live.sim.clock.now)
    assert client.list_vehicles()


def test_a_code_is_single_use(live: LiveServer) -> None:
    oauth = WebfleetOAuth(oauth_settings(live), InMemoryTokenStorage(), clock=live.sim.clock.now)
    code = consent(oauth.authorization_url("s"))["code"]
    oauth.exchange_code(code)
    with pytest.raises(errors.OAuthError) as raised:
        oauth.exchange_code(code)
    assert raised.value.error == "invalid_grant" and raised.value.status_code == 400


def test_refresh_rotates_and_the_old_refresh_token_dies(live: LiveServer, tmp_path: Path) -> None:
    storage = JsonFileTokenStorage(tmp_path / "tokens.json")
    oauth = consented_oauth(live, storage)
    before = storage.load()
    assert before is not None
    advance(live, 60)
    oauth.refresh()
    after = JsonFileTokenStorage(tmp_path / "tokens.json").load()  # durable: a new process reads it back
    assert after is not None and after.refresh_token != before.refresh_token
    assert after.access_token != before.access_token
    assert (tmp_path / "tokens.json").stat().st_mode & 0o777 == 0o600

    storage.save(before)  # someone restores the old refresh token: the server refuses it
    with pytest.raises(errors.NotAuthorized):
        oauth.refresh()


def test_a_stale_token_is_replaced_without_a_second_exchange(live: LiveServer) -> None:
    storage = InMemoryTokenStorage()
    oauth = consented_oauth(live, storage)
    first = oauth.access_token()
    advance(live, 1)
    second = oauth.refresh(stale=first)
    assert second != first
    # another caller that saw the same 401 with `first` gets `second`, with no exchange of the rotated token
    assert oauth.refresh(stale=first) == second
    assert oauth.access_token() == second


def test_an_expired_access_token_is_refreshed_before_use(live: LiveServer) -> None:
    storage = InMemoryTokenStorage()
    oauth = consented_oauth(live, storage)
    first = oauth.access_token()
    advance(live, 4 * 3600 - 60)  # within the refresh margin
    client = TachoShareClient(f"{live.base_url}/tachoshare", oauth, clock=live.sim.clock.now)
    assert client.list_drivers()
    assert oauth.access_token() != first


def test_a_401_from_the_api_triggers_one_refresh(live: LiveServer) -> None:
    storage = InMemoryTokenStorage()
    oauth = consented_oauth(live, storage)
    tokens = storage.load()
    assert tokens is not None
    # the client believes its token is fine (no expiry known); the server's clock says it expired
    storage.save(TokenSet(access_token=tokens.access_token, refresh_token=tokens.refresh_token))
    advance(live, 5 * 3600)
    client = TachoShareClient(f"{live.base_url}/tachoshare", oauth, clock=live.sim.clock.now)
    assert client.list_company_cards()
    refreshed = storage.load()
    assert refreshed is not None and refreshed.refresh_token != tokens.refresh_token


def test_without_consent_the_client_says_so(live: LiveServer) -> None:
    oauth = WebfleetOAuth(oauth_settings(live), InMemoryTokenStorage(), clock=live.sim.clock.now)
    with pytest.raises(errors.NotAuthorized):
        TachoShareClient(f"{live.base_url}/tachoshare", oauth).list_vehicles()


def test_revoke_kills_the_refresh_token_and_forgets_the_tokens(live: LiveServer) -> None:
    storage = InMemoryTokenStorage()
    oauth = consented_oauth(live, storage)
    tokens = storage.load()
    assert tokens is not None
    oauth.revoke()
    assert storage.load() is None
    storage.save(tokens)
    with pytest.raises(errors.NotAuthorized):
        oauth.refresh()


def test_bad_client_credentials_are_an_oauth_error(live: LiveServer) -> None:
    settings = oauth_settings(live)
    wrong = type(settings)(settings.base_url, settings.client_id, "wrong-secret", settings.redirect_uri)
    oauth = WebfleetOAuth(wrong, InMemoryTokenStorage(), clock=live.sim.clock.now)
    code = consent(oauth.authorization_url("s"))["code"]
    with pytest.raises(errors.OAuthError) as raised:
        oauth.exchange_code(code)
    assert raised.value.status_code == 401 and raised.value.error == "invalid_client"
