"""An ordinary OAuth client (authlib's requests session), unchanged, against a live simulator on loopback.

The browser step is played with `requests`: fetch the consent page the authorization URL shows, read its form,
and submit it as the user would, without following the redirect (the redirect URI is the partner's, which does
not exist here). Everything else is authlib doing what it does against any RFC 6749 server.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from oauth_support import CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, RFC_VERIFIER
from oauth_support import query_of as query

from tests.conftest import LiveServer

pytestmark = pytest.mark.live

OAUTH = "/webfleet-auth/uaa/oauth"


class FormReader(HTMLParser):
    """The consent page's form: its action and the values of its fields, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values["action"]
        elif tag == "input":
            self.fields[values["name"]] = values.get("value", "")


@dataclass
class Partner:
    """A partner back end using authlib, and the user's browser."""

    live: LiveServer
    session: OAuth2Session
    verifier: str
    state: str = ""

    @property
    def token_url(self) -> str:
        return f"{self.live.base_url}{OAUTH}/token"

    def consent(self, username: str, password: str, decision: str = "approve") -> str:
        """Open the authorization URL, submit the consent form; the redirect location the browser would follow."""
        url, self.state = self.session.create_authorization_url(
            f"{self.live.base_url}{OAUTH}/authorize", code_verifier=self.verifier
        )
        page = requests.get(url, timeout=10)
        assert page.status_code == 200 and "Demo Partner App" in page.text
        form = FormReader()
        form.feed(page.text)
        fields = {**form.fields, "username": username, "password": password, "decision": decision}
        answer = requests.post(urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        location = answer.headers["Location"]
        assert location.startswith(REDIRECT_URI + "?")
        return location

    def fetch_token(self, location: str) -> dict[str, object]:
        return dict(
            self.session.fetch_token(
                self.token_url, authorization_response=location, state=self.state, code_verifier=self.verifier
            )
        )

    def vehicles(self) -> list[dict[str, object]]:
        response = self.session.get(f"{self.live.base_url}/tachoshare/vehicles", timeout=10)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert isinstance(items, list)
        return items


@pytest.fixture
def partner(live: LiveServer) -> Partner:
    session = OAuth2Session(
        CLIENT_ID, CLIENT_SECRET, scope="tachoshare", redirect_uri=REDIRECT_URI, code_challenge_method="S256"
    )
    return Partner(live, session, RFC_VERIFIER)


def test_the_whole_authorization_code_flow_with_rotation(partner: Partner) -> None:
    token = partner.fetch_token(partner.consent("fleetmanager", "demo"))
    assert token["token_type"] == "bearer" and token["scope"] == "tachoshare"
    assert partner.vehicles()

    old_refresh = token["refresh_token"]
    refreshed = partner.session.refresh_token(partner.token_url)
    assert refreshed["refresh_token"] != old_refresh
    assert refreshed["access_token"] != token["access_token"]
    assert partner.vehicles()

    with pytest.raises(OAuthError) as caught:
        partner.session.refresh_token(partner.token_url, refresh_token=old_refresh)
    assert caught.value.error == "invalid_grant"
    reuse = requests.post(
        partner.token_url,
        data={"grant_type": "refresh_token", "refresh_token": old_refresh},
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=10,
    )
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"

    partner.session.revoke_token(f"{partner.live.base_url}{OAUTH}/revoke", refreshed["refresh_token"])
    with pytest.raises(OAuthError) as revoked:
        partner.session.refresh_token(partner.token_url, refresh_token=refreshed["refresh_token"])
    assert revoked.value.error == "invalid_grant"


def test_refusal_redirects_with_access_denied(partner: Partner) -> None:
    answer = query(partner.consent("", "", decision="deny"))
    assert answer["error"] == "access_denied" and answer["state"] == partner.state
    assert "code" not in answer


def test_a_code_older_than_ten_minutes_is_invalid_grant(partner: Partner) -> None:
    location = partner.consent("fleetmanager", "demo")
    advanced = requests.post(f"{partner.live.base_url}/_sim/clock/advance", json={"seconds": 11 * 60}, timeout=10)
    assert advanced.status_code == 200, advanced.text
    with pytest.raises(OAuthError) as caught:
        partner.fetch_token(location)
    assert caught.value.error == "invalid_grant"


def test_a_code_used_twice_is_invalid_grant(partner: Partner) -> None:
    location = partner.consent("fleetmanager", "demo")
    partner.fetch_token(location)
    with pytest.raises(OAuthError) as caught:
        partner.fetch_token(location)
    assert caught.value.error == "invalid_grant"


def test_the_token_sees_what_the_consenting_user_sees(live: LiveServer) -> None:
    seen: dict[str, set[str]] = {}
    for username in ("fleetmanager", "dispatcher-north"):
        partner = Partner(
            live,
            OAuth2Session(
                CLIENT_ID, CLIENT_SECRET, scope="tachoshare", redirect_uri=REDIRECT_URI, code_challenge_method="S256"
            ),
            RFC_VERIFIER,
        )
        partner.fetch_token(partner.consent(username, "demo"))
        seen[username] = {str(vehicle["vin"]) for vehicle in partner.vehicles()}
    assert seen["dispatcher-north"] < seen["fleetmanager"]
    demo = live.sim.world.account("demo")
    assert demo is not None
    north = {v.vin for v in demo.vehicles if v.depot == "North"}
    assert seen["dispatcher-north"] == north


def test_a_token_of_another_account_never_sees_a_demo_vehicle(partner: Partner) -> None:
    partner.fetch_token(partner.consent("acme-admin", "acme"))
    demo = partner.live.sim.world.account("demo")
    assert demo is not None
    acme_vins = {str(vehicle["vin"]) for vehicle in partner.vehicles()}
    assert acme_vins and not acme_vins & {v.vin for v in demo.vehicles}
    for vehicle in demo.vehicles[:3]:
        response = partner.session.get(f"{partner.live.base_url}/tachoshare/vehicles/{vehicle.vin}", timeout=10)
        assert response.status_code == 404, response.text
