"""The QA console (`/_sim/console`) as a plug-in: mounted inside the control plane's prefix (the registry serves the
longest prefix first), no fault rules or rate limits, no callers to resolve."""

from __future__ import annotations

from mockserver.apis import ApiPlugin, register
from mockserver.problems import described_error

CONSOLE = register(
    ApiPlugin(
        name="console",
        spec="console.yaml",
        base_path="/_sim/console",
        handlers="mockserver.console.handlers",
        error=described_error,
    )
)
