"""Helpers for the clients' tests against the live simulator: the browser's consent step, and clients."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import requests

from contracts.tachoshare.oauth import OAuthSettings, Pkce, WebfleetOAuth
from contracts.tachoshare.token_storage import TokenStorage
from tests.conftest import LiveServer

REDIRECT_URI = "https://partner.example/callback"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def oauth_settings(live: LiveServer) -> OAuthSettings:
    return OAuthSettings(f"{live.base_url}/webfleet-auth/uaa/oauth", "demo-partner", "demo-secret", REDIRECT_URI)


def consent(authorization_url: str, username: str = "fleetmanager", password: str = "demo") -> dict[str, str]:
    """What the customer's browser does: open the page, sign in, approve; the redirect's query parameters."""
    page = requests.get(authorization_url, timeout=10)
    page.raise_for_status()
    form = dict(_HIDDEN.findall(page.text))
    form.update(username=username, password=password, decision="approve")
    answer = requests.post(authorization_url.split("?")[0], data=form, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT_URI)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def consented_oauth(live: LiveServer, storage: TokenStorage, *, pkce: bool = True) -> WebfleetOAuth:
    oauth = WebfleetOAuth(oauth_settings(live), storage, clock=live.sim.clock.now)
    challenge = Pkce.generate() if pkce else None
    redirect = consent(oauth.authorization_url("state-123", challenge))
    assert redirect["state"] == "state-123"
    oauth.exchange_code(redirect["code"], challenge)
    return oauth
