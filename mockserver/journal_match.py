"""Request verification as WireMock users know it: a match object over journal entries, counts, and near misses.

A match names any of `api`, `method`, `path` (a glob on the full path, e.g. `/tachoshare/vehicles/*`), `query` (a
glob), `status`, `account`, `operationId`, `fault` (a rule id, or true/false for "some rule fired" / "none"),
`headers` and `body` (request header values and body fields: `mockserver.journal_fields`, which also says what a
match sees of a long body); an entry matches when every named field does. A near miss is an entry that fails the
fewest fields (each header and body field counts as one); each miss says which fields and why, so a failing
verification reads as a diff.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mockserver.errors import BadRequest
from mockserver.journal import JournalEntry
from mockserver.journal_fields import HeaderPattern, body_mismatches, check_body_path, header_mismatches

FIELDS_LIMIT = 32  # headers, and body fields, one match may name


class JournalMatch(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    api: str | None = None
    method: str | None = Field(None, pattern=r"^(\*|[A-Za-z]+)$")
    path: str | None = Field(None, min_length=1)
    query: str | None = None
    status: int | None = Field(None, ge=0, le=599)
    account: str | None = None
    operation_id: str | None = Field(None, alias="operationId")
    fault: str | bool | None = None
    headers: dict[str, HeaderPattern] | None = Field(None, max_length=FIELDS_LIMIT)
    body: dict[str, Any] | None = Field(None, max_length=FIELDS_LIMIT)

    @field_validator("headers")
    @classmethod
    def _header_names(cls, headers: dict[str, HeaderPattern] | None) -> dict[str, HeaderPattern] | None:
        if headers is not None and not all(name.strip() for name in headers):
            raise ValueError("a header name is not empty")
        return headers

    @field_validator("body")
    @classmethod
    def _body_paths(cls, body: dict[str, Any] | None) -> dict[str, Any] | None:
        for path in body or {}:
            check_body_path(path)
        return body

    def mismatches(self, entry: JournalEntry) -> list[str]:
        """Why `entry` does not match, one phrase per field (empty: it matches)."""
        found = []
        for name, test in _CHECKS.items():
            wanted = getattr(self, name)
            if wanted is not None and not test(wanted, entry):
                found.append(f"{_ALIASES.get(name, name)}: {getattr(entry, name)!r}, wanted {wanted!r}")
        if self.headers:
            found += header_mismatches(self.headers, entry)
        if self.body:
            found += body_mismatches(self.body, entry)
        return found

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


def _fault(wanted: str | bool, entry: JournalEntry) -> bool:
    return (entry.fault is not None) == wanted if isinstance(wanted, bool) else entry.fault == wanted


_CHECKS = {
    "api": lambda w, e: w == "*" or e.api == w,
    "method": lambda w, e: w == "*" or e.method == w.upper(),
    "path": lambda w, e: fnmatch.fnmatchcase(e.path, w),
    "query": lambda w, e: fnmatch.fnmatchcase(e.query, w),
    "status": lambda w, e: e.status == w,
    "account": lambda w, e: e.account == w,
    "operation_id": lambda w, e: e.operation_id == w,
    "fault": _fault,
}
_ALIASES = {"operation_id": "operationId"}


def parse_match(body: Any) -> JournalMatch:
    if not isinstance(body, dict) or not isinstance(body.get("match", {}), dict):
        raise BadRequest(
            "match: an object with api, method, path, query, status, account, operationId, fault, headers or body"
        )
    try:
        return JournalMatch.model_validate(body.get("match", {}))
    except ValidationError as exc:
        where = "; ".join(f"match.{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise BadRequest(where) from exc


@dataclass(frozen=True)
class NearMiss:
    entry: JournalEntry
    mismatches: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"entry": self.entry.to_json(), "mismatches": self.mismatches}


def near_misses(match: JournalMatch, entries: list[JournalEntry], limit: int) -> list[NearMiss]:
    """The `limit` entries that miss `match` by the fewest fields, newest first among equals."""
    missed = [NearMiss(e, m) for e in reversed(entries) if (m := match.mismatches(e))]
    missed.sort(key=lambda miss: len(miss.mismatches))  # stable: newest first within a count
    return missed[:limit]
