"""The image and its lock (issue 18). Docker cannot run on the machine these tests were written on, so what can be
proved without it is proved here: the lock pins every runtime dependency (and nothing of the test or verify
toolchain) with hashes, consistent with pyproject.toml; the Dockerfile is multi-stage, digest-pinned, installs from
the lock only, and checks health through `mockserver.healthcheck`, which follows FLEETMOCK_PORT."""

from __future__ import annotations

import importlib.metadata
import re
import socket
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from mockserver.healthcheck import check, health_url, server_argv
from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]
TOOLCHAIN = {"schemathesis", "hypothesis", "pytest", "mypy", "ruff"}


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _lock() -> dict[str, tuple[str, str]]:
    pattern = r"^([a-z0-9-]+)==(\S+) \\\n    --hash=sha256:([0-9a-f]{64})$"
    entries = re.findall(pattern, (ROOT / "requirements.lock").read_text(), re.M)
    return {name: (version, digest) for name, version, digest in entries}


def _closure(requirements: list[str]) -> set[str]:
    """The names of the runtime dependencies and of everything they need (installed metadata, markers evaluated)."""
    env = {**default_environment(), "python_version": "3.11", "sys_platform": "linux", "platform_system": "Linux"}
    seen: set[str] = set()
    todo = [(Requirement(r), "") for r in requirements]
    while todo:
        requirement, extra = todo.pop()
        name = canonicalize_name(requirement.name)
        if requirement.marker is not None and not requirement.marker.evaluate({**env, "extra": extra}):
            continue
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in seen:
            continue
        seen.add(key)
        for raw in importlib.metadata.requires(name) or []:
            for chosen in requirement.extras or {""}:
                todo.append((Requirement(raw), chosen))
    return {key.split("[")[0] for key in seen}


def test_the_lock_pins_every_runtime_dependency_with_a_hash_and_no_toolchain() -> None:
    lock = _lock()
    text = (ROOT / "requirements.lock").read_text()
    lines = [line for line in text.splitlines() if line and not line.startswith(("#", " "))]
    assert len(lines) == len(lock), "every entry is name==version with one sha256 hash"
    project = _pyproject()
    runtime = [str(r) for r in [*project["dependencies"], *project["optional-dependencies"]["postgres"]]]  # type: ignore[index]
    for raw in runtime:
        requirement = Requirement(raw)
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{name} is a runtime dependency missing from requirements.lock (run scripts/lock.py)"
        assert requirement.specifier.contains(lock[name][0], prereleases=True), f"{name}=={lock[name][0]} vs {raw}"
    missing = _closure(runtime) - set(lock)
    assert not missing, f"needed at run time but not locked: {sorted(missing)}"
    assert not TOOLCHAIN & set(lock) and not TOOLCHAIN & _closure(runtime)


def test_schemathesis_and_hypothesis_are_the_verify_extra_and_serving_needs_neither() -> None:
    extras = _pyproject()["optional-dependencies"]
    verify = {canonicalize_name(Requirement(r).name) for r in extras["verify"]}  # type: ignore[index]
    assert verify >= {"schemathesis", "hypothesis"}
    blocked = "import sys; sys.modules.update(schemathesis=None, hypothesis=None); "
    code = blocked + "import mockserver.app, mockserver.cli.serve, mockserver.cli; mockserver.cli.build_parser()"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def _dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_the_dockerfile_is_multi_stage_pinned_and_installs_from_the_lock_only() -> None:
    text = _dockerfile()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.11-slim@sha256:[0-9a-f]{64}$", text, re.M)
    stages = re.findall(r"^FROM (\S+) AS (\w+)$", text, re.M)
    assert stages == [("${PYTHON_IMAGE}", "build"), ("${PYTHON_IMAGE}", "runtime")]
    build, runtime = text.split("\nFROM ${PYTHON_IMAGE} AS runtime\n")
    assert "pip install --require-hashes --no-deps -r requirements.lock" in build
    assert re.findall(r"pip install[^\n]*", build) == [
        "pip install --require-hashes --no-deps -r requirements.lock",
        "pip install --no-deps . && /opt/fleetmock/bin/pip check \\",
    ]
    assert "pip install" not in runtime and "COPY --from=build /opt/fleetmock /opt/fleetmock" in runtime
    assert 'HEALTHCHECK' in runtime and '"mockserver.healthcheck"' in runtime
    assert 'VOLUME ["/data"]' in runtime and "org.opencontainers.image.title" in runtime
    assert "USER fleetmock" in runtime and "FLEETMOCK_PORT=8080" in runtime


def test_the_build_context_holds_what_the_dockerfile_copies_and_nothing_else() -> None:
    rules = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")]
    assert rules[0] == "**"
    allowed = {rule[1:].rstrip("/") for rule in rules if rule.startswith("!")}
    copied = {p for line in re.findall(r"^COPY (?!--from)(.+) \S+$", _dockerfile(), re.M) for p in line.split()}
    assert {p.removeprefix("./").rstrip("/") for p in copied} == allowed


@pytest.mark.live
def test_the_healthcheck_follows_fleetmock_port(live: LiveServer) -> None:
    port = live.base_url.rsplit(":", 1)[1]
    assert health_url({}) == "http://127.0.0.1:8080/_sim/health"
    healthy, why = check({"FLEETMOCK_PORT": port})
    assert healthy and why.endswith(": 200")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    healthy, why = check({"FLEETMOCK_PORT": str(closed), "FLEETMOCK_HEALTHCHECK_TIMEOUT": "1"})
    assert not healthy and why.startswith(f"http://127.0.0.1:{closed}/_sim/health: ")
    result = subprocess.run(
        [sys.executable, "-m", "mockserver.healthcheck"], env={"FLEETMOCK_PORT": port, "PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0


def test_the_healthcheck_follows_a_port_given_as_an_argument(tmp_path: Path) -> None:
    """`docker run IMAGE --port 9000`: the argument reaches `fleetmock serve`, not the environment; the check reads
    the server's command line (process 1 in the container) and, like `serve`, lets the flag win."""
    flag = ["fleetmock", "serve", "--port", "9000"]
    assert health_url({"FLEETMOCK_PORT": "8080"}, flag).endswith(":9000/_sim/health")
    assert health_url({}, ["fleetmock", "serve", "--rate", "0", "--port=9100"]).endswith(":9100/_sim/health")
    assert health_url({"FLEETMOCK_PORT": "9200"}, ["fleetmock", "serve", "--rate", "0"]).endswith(":9200/_sim/health")
    assert health_url({}, ["fleetmock", "serve", "--port"]).endswith(":8080/_sim/health")
    cmdline = tmp_path / "cmdline"
    cmdline.write_bytes(b"/opt/fleetmock/bin/python\0/opt/fleetmock/bin/fleetmock\0serve\0--port\0009300\0")
    assert health_url({}, server_argv(cmdline)).endswith(":9300/_sim/health")
    assert server_argv(tmp_path / "absent") == []
