"""Where the OAuth tokens live between runs: a small interface, kept in memory or in a JSON file.

Refresh tokens rotate (each refresh answers a new one and kills the old), so the new token must be stored before
it is used, and stored durably: a process that loses it needs the customer's consent again. `JsonFileTokenStorage`
writes a temporary file, flushes it to disk and renames it over the old one, so a crash leaves either the old or
the new tokens, never a torn file; the file is created readable by its owner only.
Not handled: several processes refreshing through one file at the same instant (use one process, or a storage
backed by a database with row locks).
"""

from __future__ import annotations

import os
import tempfile
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict


class TokenSet(BaseModel):
    """An access token, the refresh token that goes with it, and when the access token expires."""

    model_config = ConfigDict(frozen=True)

    access_token: str
    refresh_token: str | None = None
    token_type: str = "bearer"
    expires_at: datetime | None = None
    scope: str | None = None

    def expires_within(self, now: datetime, margin: timedelta) -> bool:
        return self.expires_at is not None and now >= self.expires_at - margin


class TokenStorage(Protocol):
    def load(self) -> TokenSet | None: ...

    def save(self, tokens: TokenSet) -> None: ...

    def clear(self) -> None: ...


class InMemoryTokenStorage:
    """Tokens kept for the life of the process (tests, short jobs)."""

    def __init__(self, tokens: TokenSet | None = None) -> None:
        self._tokens = tokens
        self._lock = threading.Lock()

    def load(self) -> TokenSet | None:
        with self._lock:
            return self._tokens

    def save(self, tokens: TokenSet) -> None:
        with self._lock:
            self._tokens = tokens

    def clear(self) -> None:
        with self._lock:
            self._tokens = None


class JsonFileTokenStorage:
    """Tokens in a JSON file, replaced atomically on every save."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def load(self) -> TokenSet | None:
        with self._lock:
            try:
                text = self.path.read_text(encoding="utf-8")
            except FileNotFoundError:
                return None
            return TokenSet.model_validate_json(text)

    def save(self, tokens: TokenSet) -> None:
        with self._lock:
            write_atomically(self.path, tokens.model_dump_json(indent=2).encode("utf-8"), mode=0o600)

    def clear(self) -> None:
        with self._lock:
            self.path.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write `data` to `path` so that readers see either the old or the new content, even after a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
