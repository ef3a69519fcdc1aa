"""The user's part of a documented OAuth example: open the printed authorization URL, sign in, approve, and read
the code out of the redirect (what a person does in a browser, done with requests and the consent form)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and "name" in values:
            self.fields[values["name"]] = values.get("value", "")


def sign_in_and_approve(url: str, username: str = "fleetmanager", password: str = "demo") -> str:
    """The `code` of the redirect the consent page answers after the user approves."""
    page = requests.get(url, timeout=10)
    page.raise_for_status()
    form = _Form()
    form.feed(page.text)
    fields = {**form.fields, "username": username, "password": password, "decision": "approve"}
    answer = requests.post(urljoin(page.url, form.action), data=fields, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return parse_qs(urlsplit(answer.headers["Location"]).query)["code"][0]
