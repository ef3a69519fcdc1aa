"""The blocks a newcomer reads but the docs tests cannot run as printed (issue 18): a listing of what `serve` prints,
a compose file, examples that need Docker. Each is checked for what can be checked here, so it cannot drift."""

from __future__ import annotations

import argparse
from typing import Any

import yaml

from mockserver.cli import build_parser
from mockserver.cli.environment import apply_environment
from mockserver.cli.serve import banner
from mockserver.clock import SimClock
from mockserver.simulator import Simulator
from tests.docs.blocks import ROOT, blocks, documents

ALL = [b for path in documents() for b in blocks(path)]


def test_the_printed_banner_is_what_serve_prints(world: Any) -> None:
    """README's tour shows the banner, eliding lines with "..."; every line it shows is one `serve` prints."""
    listing = next(b for b in ALL if b.lang == "text" and b.body.startswith("$ bash scripts/serve.sh"))
    sim = Simulator(world, SimClock(world.start, rate=float("0")))  # as `--rate 0` (a float option) makes it
    printed = banner(sim, "http://127.0.0.1:8080").splitlines()
    shown = [line for line in listing.body.splitlines()[1:] if line.strip() and line.strip() != "..."]
    assert shown and [line for line in shown if line not in printed] == []


def _serve_parser() -> argparse.ArgumentParser:
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return subparsers.choices["serve"]


def test_the_compose_example_uses_real_variables_the_image_volume_and_port() -> None:
    compose = next(b for b in ALL if b.lang == "yaml" and b.body.startswith("services:"))
    service = yaml.safe_load(compose.body)["services"]["fleetmock"]
    environment = {k: str(v) for k, v in service["environment"].items()}
    parser = _serve_parser()
    assert apply_environment(parser, environment) == []  # each value is one its option accepts
    known = {a.option_strings[0][2:].replace("-", "_").upper() for a in parser._actions if a.option_strings}
    assert {name.removeprefix("FLEETMOCK_") for name in environment} <= known
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    volume = service["volumes"][0].split(":")[1]
    assert f'VOLUME ["{volume}"]' in dockerfile and environment["FLEETMOCK_STATE"].startswith(volume + "/")
    assert service["ports"] == ["8080:8080"] and "EXPOSE 8080" in dockerfile


def test_the_examples_that_need_docker_are_at_least_valid_code() -> None:
    skipped = [b for b in ALL if b.skip is not None and b.lang == "python"]
    assert skipped
    for block in skipped:
        compile(block.body, block.id, "exec")
    docker = next(b for b in ALL if b.lang == "python" and "DockerContainer" in b.body)
    banner_start = "fleetmock serving on"  # what its wait strategy waits for
    assert f'"{banner_start}"' in docker.body and (ROOT / "mockserver/cli/serve.py").read_text().count(banner_start)
    assert "8080" in docker.body and "EXPOSE 8080" in (ROOT / "Dockerfile").read_text(encoding="utf-8")
