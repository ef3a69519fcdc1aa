"""The fenced code blocks of the README and docs/*.md, the way a newcomer copies them.

A block may be preceded (on the line just before its fence) by a directive comment:
- `<!-- doc-test: skip REASON -->`: not run (e.g. it needs Docker or a browser); the reason is required;
- `<!-- doc-test: given NAME[, NAME] -->`: the test provides these names (e.g. an OAuth code from a browser step);
- `<!-- doc-test: errors -->`: 4xx/5xx answers are the point of the block (faults, bad input).
Blocks in `text`, `yaml`, `json` and other non-runnable languages are listings, never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNABLE = ("bash", "python")
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
_DIRECTIVE = re.compile(r"<!--\s*doc-test:\s*(?P<kind>skip|given|errors)\b\s*(?P<arg>.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    doc: str  # path relative to the repository
    line: int
    lang: str
    body: str
    skip: str | None = None
    given: tuple[str, ...] = ()
    errors: bool = False

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"

    @property
    def is_test_module(self) -> bool:
        return self.lang == "python" and re.search(r"^def test_", self.body, re.M) is not None


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def blocks(path: Path) -> list[Block]:
    text = path.read_text(encoding="utf-8")
    found = []
    for fence in _FENCE.finditer(text):
        line = text.count("\n", 0, fence.start()) + 1
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        directive = _DIRECTIVE.search(before)
        kind, arg = (directive["kind"], directive["arg"]) if directive else (None, "")
        found.append(
            Block(
                str(path.relative_to(ROOT)),
                line,
                fence["lang"],
                fence["body"],
                skip=arg if kind == "skip" else None,
                given=tuple(n.strip() for n in arg.split(",") if n.strip()) if kind == "given" else (),
                errors=kind == "errors",
            )
        )
    return found


def runnable() -> list[Block]:
    return [b for path in documents() for b in blocks(path) if b.lang in RUNNABLE]
