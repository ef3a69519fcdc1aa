"""The control plane (`/_sim`) and the landing page (`/`) as plug-ins: the simulator's own APIs for tests and QA.

Neither takes fault rules or rate limits, and neither has callers to resolve. Operations of the control spec that
concern one API's state are served by that API's package (`ApiPlugin.serves`), so this package names
none of them.
"""

from __future__ import annotations

from mockserver.apis import ApiPlugin, register
from mockserver.control.service import ControlService
from mockserver.problems import described_error

CONTROL = register(
    ApiPlugin(
        name="control",
        spec="control.yaml",
        base_path="/_sim",
        handlers="mockserver.control.handlers",
        error=described_error,
        title="fleetmock control plane",
        service=ControlService,
    )
)
SITE = register(
    ApiPlugin(name="site", spec="site.yaml", base_path="", handlers="mockserver.control.site", error=described_error)
)
