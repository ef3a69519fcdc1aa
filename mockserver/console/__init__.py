"""The QA console at `/_sim/console/`: server-rendered page shells, a vendored script that fills them from the
public routes (control plane and APIs), the chart drawings, and the journal as server-sent events."""

from __future__ import annotations

import re

# The page shells and their script and style sheet hold no data: a browser must be able to load them without the
# control token (a navigation cannot send an Authorization header); the script then asks for the token and sends it
# with every `/_sim` call. The charts and the journal stream stay behind the token like the rest of `/_sim`.
_SHELL = re.compile(r"^/_sim/console(/|/pages/[a-z]+|/assets/[a-z.]+)?$")


def holds_no_data(path: str) -> bool:
    """True for the console's page shells and static files, which a control-token guard may let through."""
    return _SHELL.match(path) is not None
