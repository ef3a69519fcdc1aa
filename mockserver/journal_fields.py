"""Request verification on what a request carried: header values and body fields (`headers` and `body` in a match).

A header is named in any case and wanted either equal to a value, matching a glob (`{"glob": "Bearer *"}`) or
absent (`{"absent": true}`); a repeated header matches when any of its values does. A body field is a JSON
pointer (`/items/0/vin`) or a dotted path (`items.0.vin`) into a JSON body, or a field name of a form body
(`application/x-www-form-urlencoded`), wanted equal to a JSON value; form fields are text, so a number or a boolean
is compared as its JSON text (`5` matches `n=5`). Equality is JSON's: `true` is not `1`, `1` is `1.0`.

What a match sees is what the journal kept (`mockserver.journal`): the first 2 KiB of a body, 2 KiB of headers
with each value cut at 512 characters (marked "..."). A body longer than that has no fields to match, and a header
past the bound is "not kept": both are mismatches that say so, never guesses. A body-field match may name a field
of a JSON body's array by its index; it cannot say "any element".

Not simulated: multipart bodies, regular expressions, "contains" on bodies (WireMock has them).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from typing import Any, Literal
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict

from mockserver.journal import JournalEntry

MISSING = object()  # a field the body does not have


class HeaderGlob(BaseModel):
    model_config = ConfigDict(extra="forbid")
    glob: str


class HeaderAbsent(BaseModel):
    model_config = ConfigDict(extra="forbid")
    absent: Literal[True]


HeaderPattern = str | HeaderGlob | HeaderAbsent


def header_mismatches(wanted: Mapping[str, HeaderPattern], entry: JournalEntry) -> list[str]:
    """One phrase per named header the entry's request did not carry as wanted."""
    found = []
    for name, pattern in wanted.items():
        values = entry.header_values(name)
        if isinstance(pattern, HeaderAbsent):
            if values or entry.headers_cut:
                found.append(f"header {name.lower()}: {_shown_values(values, entry)}, wanted absent")
        elif not any(_header_ok(pattern, value) for value in values):
            want = repr(pattern) if isinstance(pattern, str) else f"glob {pattern.glob!r}"
            found.append(f"header {name.lower()}: {_shown_values(values, entry)}, wanted {want}")
    return found


def _header_ok(pattern: str | HeaderGlob, value: str) -> bool:
    return value == pattern if isinstance(pattern, str) else fnmatch.fnmatchcase(value, pattern.glob)


def _shown_values(values: list[str], entry: JournalEntry) -> str:
    if values:
        return ", ".join(map(repr, values))
    return "not kept (the journal keeps 2 KiB of headers)" if entry.headers_cut else "absent"


def check_body_path(path: str) -> str:
    """`path` when it is a usable field path (raises ValueError with the reason otherwise)."""
    if not path:
        raise ValueError("a body field path is a JSON pointer (/a/0/b) or a dotted path (a.0.b), not empty")
    if path.startswith("/"):
        for segment in path[1:].split("/"):
            if "~" in segment.replace("~0", "").replace("~1", ""):
                raise ValueError(f"{path!r}: in a JSON pointer '~' is followed by 0 or 1")
    return path


def body_mismatches(wanted: Mapping[str, Any], entry: JournalEntry) -> list[str]:
    """One phrase per named body field the entry's request body did not hold as wanted."""
    parsed = _parsed_body(entry)
    if isinstance(parsed, str):  # why the body has no fields to match
        return [f"body {path}: {parsed}, wanted {_json(value)}" for path, value in wanted.items()]
    kind, document = parsed
    found = []
    for path, value in wanted.items():
        if kind == "form":
            values = document.get(_form_name(path), [])
            if _text(value) not in values:
                shown = ", ".join(map(_json, values)) if values else "absent"
                found.append(f"body {path}: {shown}, wanted {_json(value)}")
            continue
        actual = field_at(document, path)
        if actual is MISSING or not same_json(actual, value):
            found.append(f"body {path}: {'absent' if actual is MISSING else _json(actual)}, wanted {_json(value)}")
    return found


def _parsed_body(entry: JournalEntry) -> str | tuple[str, Any]:
    """("json", value) or ("form", {name: [values]}), or why there is nothing to match."""
    if entry.request_body is None:
        return "no body"
    if entry.request_cut:
        return "not kept (the body is longer than the 2 KiB the journal keeps)"
    content_type = ",".join(entry.header_values("content-type")).lower()
    if "x-www-form-urlencoded" in content_type:
        return "form", parse_qs(entry.request_body, keep_blank_values=True)
    try:
        return "json", json.loads(entry.request_body)
    except ValueError:
        return f"not JSON or a form ({content_type or 'no content-type'})"


def _segments(path: str) -> list[str]:
    if path.startswith("/"):
        return [s.replace("~1", "/").replace("~0", "~") for s in path[1:].split("/")]
    return path.split(".")


def _form_name(path: str) -> str:
    return _segments(path)[0] if path.startswith("/") and path.count("/") == 1 else path


def field_at(document: Any, path: str) -> Any:
    """The value at `path` (a JSON pointer or a dotted path) in `document`, or MISSING."""
    here = document
    for segment in _segments(path):
        if isinstance(here, dict) and segment in here:
            here = here[segment]
        elif isinstance(here, list) and segment.isdigit() and int(segment) < len(here):
            here = here[int(segment)]
        else:
            return MISSING
    return here


def same_json(a: Any, b: Any) -> bool:
    """JSON equality: booleans are not numbers, 1 equals 1.0, objects and arrays compare member by member."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _json(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 80 else shown[:77] + "..."
