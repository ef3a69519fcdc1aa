"""A small Python handle on a running simulator's control plane (`/_sim`), for test suites and QA scripts."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import requests


class ControlError(RuntimeError):
    """The control plane refused a request; the message is its description."""


@dataclass
class Control:
    base_url: str
    session: requests.Session = field(default_factory=requests.Session)
    timeout: float = 30.0
    control_token: str | None = field(default_factory=lambda: os.environ.get("FLEETMOCK_CONTROL_TOKEN") or None)

    def __post_init__(self) -> None:
        if self.control_token:  # a server started with --control-token
            self.session.headers["Authorization"] = f"Bearer {self.control_token}"

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(method, f"{self.base_url}/_sim{path}", timeout=self.timeout, **kwargs)
        if response.status_code >= 400:
            try:
                message = response.json().get("description", response.text)
            except ValueError:
                message = response.text
            raise ControlError(f"{method} /_sim{path}: {response.status_code} {message}")
        return response.json() if response.content else None

    # clock
    def clock(self) -> dict[str, Any]:
        return dict(self._call("GET", "/clock"))

    def set_clock(self, now: str | None = None, rate: float | None = None) -> dict[str, Any]:
        body = {k: v for k, v in (("now", now), ("rate", rate)) if v is not None}
        return dict(self._call("PUT", "/clock", json=body))

    def advance(self, seconds: float) -> dict[str, Any]:
        return dict(self._call("POST", "/clock/advance", json={"seconds": seconds}))

    # identity
    def token(self, account: str | None = None, scopes: list[str] | None = None, user: str | None = None) -> str:
        body = {k: v for k, v in (("account", account), ("scopes", scopes), ("user", user)) if v is not None}
        return str(self._call("POST", "/tokens", json=body)["access_token"])

    # faults, limits, journal
    def add_fault(self, rule: dict[str, Any]) -> dict[str, Any]:
        return dict(self._call("POST", "/faults", json=rule))

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def set_rate_limits(self, rules: list[dict[str, Any]]) -> None:
        self._call("PUT", "/ratelimits", json={"rules": rules})

    def journal(self, **filters: Any) -> list[dict[str, Any]]:
        return list(self._call("GET", "/journal", params=filters)["entries"])

    def clear_journal(self) -> None:
        self._call("DELETE", "/journal")

    def faults(self) -> dict[str, Any]:
        """`{"rules": [...], "matches": {rule id: requests matched so far}}`."""
        return dict(self._call("GET", "/faults"))

    # request verification (WireMock style): match fields api, method, path (glob), query, status, account,
    # operationId, fault, headers ({name: value | {"glob": p} | {"absent": True}}) and body ({path: value})
    def count(self, **match: Any) -> int:
        return int(self._call("POST", "/journal/count", json={"match": match})["count"])

    def find(self, **match: Any) -> list[dict[str, Any]]:
        return list(self._call("POST", "/journal/find", json={"match": match})["entries"])

    def verify(self, count: int | None = None, *, at_least: int = 1, **match: Any) -> list[dict[str, Any]]:
        """The journal entries matching `match`; fails (AssertionError) unless there are exactly `count` of them
        (when given) or at least `at_least`, listing the nearest misses and what differs in each."""
        found = self._call("POST", "/journal/find", json={"match": match, "nearMisses": 5})
        entries = list(found["entries"])
        if (count is not None and len(entries) != count) or (count is None and len(entries) < at_least):
            raise AssertionError(verification_report(match, entries, found.get("nearMisses", []), count, at_least))
        return entries

    # tenants, scenarios, state
    def create_tenant(self, name: str, seed: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, **({"seed": seed} if seed is not None else {})}
        return dict(self._call("POST", "/tenants", json=body))

    def delete_tenant(self, name: str) -> None:
        self._call("DELETE", f"/tenants/{name}")

    def apply_scenario(self, name: str) -> dict[str, Any]:
        return dict(self._call("POST", f"/scenarios/{name}"))

    def state(self) -> dict[str, Any]:
        return dict(self._call("GET", "/state"))

    def restore(self, snapshot: dict[str, Any]) -> None:
        self._call("PUT", "/state", json=snapshot)

    def reset(self) -> None:
        self._call("POST", "/reset")

    def world(self) -> dict[str, Any]:
        return dict(self._call("GET", "/world"))


def _line(entry: dict[str, Any]) -> str:
    parts = [f"#{entry['seq']}", entry["method"], entry["path"] + (f"?{entry['query']}" if entry["query"] else "")]
    parts += [str(entry["status"]), f"account={entry['account']}"]
    return " ".join(parts) + (f" fault={entry['fault']}" if entry["fault"] else "")


def verification_report(
    match: dict[str, Any], entries: list[dict[str, Any]], misses: list[dict[str, Any]], count: int | None, at_least: int
) -> str:
    """A failed verification as a reader wants it: what was expected, what was found, the nearest misses."""
    wanted = f"exactly {count}" if count is not None else f"at least {at_least}"
    lines = [f"expected {wanted} request(s) matching {match}, found {len(entries)}"]
    lines += [f"  matched: {_line(e)}" for e in entries[:10]]
    if misses:
        lines.append("nearest misses (newest first among equals):")
        for miss in misses:
            lines.append(f"  {_line(miss['entry'])}")
            lines += [f"      {why}" for why in miss["mismatches"]]
    elif not entries:
        lines.append("the journal is empty")
    return "\n".join(lines)
