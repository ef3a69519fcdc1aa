"""The handlers of a throwaway API that `test_plugin_registry` mounts through the registry (no package of its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from mockserver import runtime
from mockserver.errors import NotFound
from mockserver.http import json_response

SECTION = "tiny"


@dataclass
class Counter:
    """The throwaway API's state section: how many things were made."""

    made: int = 0
    names: list[str] = field(default_factory=list)

    def to_json(self) -> Any:
        return {"made": self.made, "names": self.names}

    @classmethod
    def from_json(cls, data: Any | None) -> Counter:
        return cls(**data) if data else cls()


class TinyService:
    def __init__(self, sim: Any) -> None:
        self._store = sim.store

    def make(self, name: str) -> int:
        with self._store.write():
            counter = self._store.section(SECTION, Counter)
            counter.made += 1
            counter.names.append(name)
            return counter.made

    def get(self, name: str) -> int:
        counter = self._store.section(SECTION, Counter)
        if name not in counter.names:
            raise NotFound(f"no thing {name!r}")
        return counter.names.index(name) + 1


async def make_thing(name: str) -> Response:
    return json_response({"name": name, "number": runtime.current().services["tiny"].make(name)}, status=201)


async def get_thing(name: str) -> Response:
    return json_response({"name": name, "number": runtime.current().tiny.get(name)})
