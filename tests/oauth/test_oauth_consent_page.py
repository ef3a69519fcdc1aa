"""The consent page: what it shows, what its form sends back, and that nothing from a request becomes markup."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from oauth_support import REDIRECT_URI

from mockserver.oauth.authorization import AuthorizationRequest
from mockserver.oauth.pkce import PkceChallenge
from mockserver.oauth.views import ConsentPage, error_page
from mockserver.world.models import OAuthClient

HOSTILE = st.text(st.characters(codec="utf-8", exclude_characters="\x00\r"), min_size=1, max_size=30)


class PageReader(HTMLParser):
    """Collects the form's inputs and buttons, the tags used, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inputs: dict[str, str] = {}
        self.buttons: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = {name: value or "" for name, value in attrs}
        if tag == "input":
            self.inputs[values["name"]] = values.get("value", "")
        if tag == "button":
            self.buttons.append((values["name"], values["value"]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    reader.close()
    return reader


def request(
    name: str = "Demo Partner App",
    state: str | None = "xyz",
    redirect: str = REDIRECT_URI,
    pkce: PkceChallenge | None = None,
) -> AuthorizationRequest:
    return AuthorizationRequest(
        OAuthClient("demo-partner", "s", name), redirect, redirect, ("tachoshare",), state, pkce
    )


EXPECTED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "h1",
    "p",
    "strong",
    "ul",
    "li",
    "form",
    "input",
    "label",
    "span",
    "div",
    "button",
}


def test_the_page_shows_client_scope_and_a_form_carrying_the_request() -> None:
    page = ConsentPage(request(pkce=PkceChallenge("c" * 43, "S256")), action="/webfleet-auth/uaa/oauth/authorize")
    reader = read(page.render())
    text = " ".join(reader.text)
    assert "Authorize Demo Partner App" in text and "tachoshare" in text and "partner.example" in text
    assert reader.inputs == {
        "response_type": "code",
        "client_id": "demo-partner",
        "redirect_uri": REDIRECT_URI,
        "scope": "tachoshare",
        "state": "xyz",
        "code_challenge": "c" * 43,
        "code_challenge_method": "S256",
        "account": "",
        "username": "",
        "password": "",
    }
    assert reader.buttons == [("decision", "approve"), ("decision", "deny")]
    assert '<form method="post" action="/webfleet-auth/uaa/oauth/authorize">' in page.render()


def test_a_message_and_the_previous_sign_in_are_shown_but_never_the_password() -> None:
    page = ConsentPage(
        request(state=None), action="/a", message="Wrong password.", account="demo", username="fleetmanager"
    )
    reader = read(page.render())
    assert "Wrong password." in reader.text
    assert reader.inputs["account"] == "demo" and reader.inputs["username"] == "fleetmanager"
    assert reader.inputs["password"] == "" and "state" not in reader.inputs


@settings(max_examples=50, deadline=None)
@given(name=HOSTILE, state=HOSTILE, username=HOSTILE, message=HOSTILE)
def test_hostile_values_come_back_as_the_same_text_and_add_no_markup(
    name: str, state: str, username: str, message: str
) -> None:
    page = ConsentPage(request(name=name, state=state), action="/a", message=message, username=username)
    reader = read(page.render())
    assert reader.inputs["state"] == state
    assert reader.inputs["username"] == username
    assert set(reader.tags) <= EXPECTED_TAGS
    assert reader.tags.count("input") == len(reader.inputs) == 8
    text = "".join(reader.text)
    assert f"Authorize {name}" in text and message in text


@settings(max_examples=30, deadline=None)
@given(error=HOSTILE, description=HOSTILE)
def test_the_error_page_escapes_too(error: str, description: str) -> None:
    reader = read(error_page(error, description))
    assert set(reader.tags) <= EXPECTED_TAGS - {"form", "input", "button"}
    assert f"{error}: {description}" in "".join(reader.text)
