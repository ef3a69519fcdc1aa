"""The statuses every TachoShare operation declares (issue 17, item 8): "All endpoints can throw an error with code
40x", declared wherever the server can send them, and never narrower than what it does send (the independent
Schemathesis run, `tests/conformance/test_independent_schemathesis.py`, checks the latter for every answer)."""

from __future__ import annotations

from pathlib import Path

import yaml

SPEC = yaml.safe_load((Path(__file__).resolve().parents[2] / "specs" / "tachoshare.yaml").read_text())
EVERY_ENDPOINT = {"400", "401", "403", "406", "429"}


def test_every_operation_declares_what_the_server_can_answer_there() -> None:
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            declared = set(operation["responses"])
            expected = set(EVERY_ENDPOINT)
            if "{" in path:  # names a vehicle or a driver card: unknown or not visible is a 404
                expected.add("404")
            if path.endswith("/files"):
                expected.add("204")  # no data in the range
            if path.endswith("/rdl"):
                expected.add("409")  # a refused manual RDL
            assert expected <= declared, (method, path, sorted(expected - declared))
            assert "404" not in declared or "{" in path, (method, path)  # no status it cannot send
