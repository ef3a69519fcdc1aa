"""State backends beyond the in-memory and SQLite stores of `mockserver.store`: PostgreSQL, shared by many instances.

`opening.open_state(url)` turns a `--state postgresql://...` URL into a store and its shared runtime (journal,
rate-limit buckets, trace ids); `StateUnavailable` is what every backend raises when its engine cannot be reached.
"""

from __future__ import annotations

from mockserver.errors import StateUnavailable

__all__ = ["StateUnavailable"]
