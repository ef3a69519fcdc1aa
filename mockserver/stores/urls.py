"""State URLs, without importing any database driver (PostgreSQL support is the optional `postgres` extra)."""

from __future__ import annotations

from urllib.parse import urlsplit

SCHEMES = ("postgresql", "postgres")


class StateOpenError(Exception):
    """A state URL that cannot be used, said in one line."""


def is_database_url(state: str | None) -> bool:
    return state is not None and urlsplit(state).scheme in SCHEMES


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    return url if password is None else url.replace(f":{password}@", ":***@", 1)
