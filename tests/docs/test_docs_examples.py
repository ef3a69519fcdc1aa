"""Every code block a newcomer copies from the README and docs/*.md runs as printed (issue 18).

Shell blocks run with bash (`set -eo pipefail`) and Python blocks with the project's interpreter, in order, in
one scratch directory per document (a file one block writes, the next may read), against one live simulator
(reset before each block) whose address replaces `localhost:8080` /
`127.0.0.1:8080`; `fleetmock` is on PATH. A block passes when it exits 0 and (unless marked `errors`) the
simulator refused none of its API requests for credentials (401, 403) and failed none (5xx): a placeholder token
or an expired one fails here. (Other 4xx are answers a client handles, e.g. the generation-split 400.)
Python blocks that define `test_` functions are a downstream suite: they run once, together, through pytester
with only the installed plugin. See `tests/docs/blocks.py` for the directives.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mockserver.cli import build_parser
from tests.conftest import LiveServer, free_port, make_sim, start_live_server
from tests.docs.blocks import ROOT, Block, runnable
from tests.docs.browser import sign_in_and_approve

pytest_plugins = ["pytester"]

BLOCKS = runnable()
COMMANDS = [b for b in BLOCKS if not b.is_test_module and b.skip is None]
SUITES = [b for b in BLOCKS if b.is_test_module and b.skip is None]
DOCUMENTS = sorted({b.doc for b in COMMANDS})
ADDRESSES = ("http://localhost:8080", "http://127.0.0.1:8080", "localhost:8080", "127.0.0.1:8080")


@pytest.fixture(scope="module")
def docs_server(world: object) -> Iterator[LiveServer]:
    live, running = start_live_server(make_sim(world), strict=False)  # type: ignore[arg-type]
    yield live
    running.stop()


def _localize(text: str, base_url: str) -> str:
    host_port = base_url.removeprefix("http://")
    for address in ADDRESSES:
        text = text.replace(address, base_url if address.startswith("http") else host_port)
    return text


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLEETMOCK_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run(block: Block, base_url: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = _localize(block.body, base_url)
    code = re.sub(r"\b9090\b", str(free_port()), code)  # a server the block starts: not a port other runs share
    argv = ["bash", "-c", "set -eo pipefail\n" + code] if block.lang == "bash" else [sys.executable, "-c", code]
    if "browser" not in block.given:
        return subprocess.run(argv, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=180)
    with subprocess.Popen(
        argv, cwd=cwd, env=_environment(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    ) as process:  # the user's part: open the printed URL, sign in, approve, paste the code
        assert process.stdout is not None and process.stdin is not None
        url = next(line.strip() for line in process.stdout if line.startswith("http"))
        out, err = process.communicate(sign_in_and_approve(url) + "\n", timeout=180)
    return subprocess.CompletedProcess(argv, process.returncode, out, err)


@pytest.mark.live
@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_examples_of_a_document_run_as_printed(doc: str, docs_server: LiveServer, tmp_path: Path) -> None:
    for block in (b for b in COMMANDS if b.doc == doc):
        docs_server.sim.reset()
        result = _run(block, docs_server.base_url, tmp_path)
        assert result.returncode == 0, f"{block.id} failed:\n{result.stdout}\n{result.stderr}"
        if not block.errors:
            entries = docs_server.sim.journal.entries()
            refused = [e for e in entries if (e.status in (401, 403) or e.status >= 500) and e.api != "control"]
            assert not refused, f"{block.id}: " + "; ".join(f"{e.method} {e.path} -> {e.status}" for e in refused)


@pytest.mark.live
def test_the_documented_downstream_tests_pass(pytester: pytest.Pytester) -> None:
    for block in SUITES:
        pytester.makepyfile(**{f"test_{Path(block.doc).stem.lower()}_{block.line}": block.body})
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-q", "-W", "error::DeprecationWarning")
    result.assert_outcomes(passed=sum(b.body.count("\ndef test_") + b.body.startswith("def test_") for b in SUITES))


def test_every_runnable_block_is_run_or_skipped_with_a_reason() -> None:
    assert COMMANDS and SUITES
    for block in BLOCKS:
        assert block.skip is None or block.skip.strip(), f"{block.id}: a skip needs its reason"


def _fleetmock_commands(body: str) -> Iterator[list[str]]:
    joined = re.sub(r"\\\n\s*", " ", body)
    for line in joined.splitlines():
        line = re.sub(r'"\$\([^"]*\)"', "VALUE", line.split(" #")[0]).strip()
        if line.startswith("fleetmock "):
            yield shlex.split(line)[1:]


def test_every_documented_fleetmock_command_parses() -> None:
    """Skipped blocks too: a renamed or mistyped option in a command a reader copies fails here."""
    commands = [(b, argv) for b in BLOCKS if b.lang == "bash" for argv in _fleetmock_commands(b.body)]
    assert any(argv[0] == "verify" for _, argv in commands)
    for block, argv in commands:
        try:
            build_parser().parse_args(argv)
        except SystemExit as exc:
            raise AssertionError(f"{block.id}: fleetmock {' '.join(argv)} does not parse") from exc


GETTING_THE_COMMAND = (".venv/bin/activate", "pip install")


def test_a_document_says_how_to_get_the_fleetmock_command_before_it_uses_it() -> None:
    """`scripts/serve.sh` leaves the reader's shell as it was: a block run in a second terminal finds no `fleetmock`
    unless the text before it (in the README, within the same section; a tutorial is read from its top) said how."""
    for doc in sorted({b.doc for b in BLOCKS}):
        first = next((b for b in BLOCKS if b.doc == doc and b.lang == "bash" and any(_fleetmock_commands(b.body))),
                     None)
        if first is None:
            continue
        lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()[: first.line - 1]
        if doc == "README.md":
            lines = lines[max(i for i, line in enumerate(lines) if line.startswith("## ")) :]
        assert any(way in line for line in lines for way in GETTING_THE_COMMAND), (
            f"{first.id} runs fleetmock, but nothing before it says how to get the command"
        )
