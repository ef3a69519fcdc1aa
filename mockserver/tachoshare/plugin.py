"""TachoShare.connect as a plug-in: its spec and mount, bearer callers, error shape, scope, reads, state, step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockserver.apis import ApiPlugin, OAuthScope, register
from mockserver.problems import described_error
from mockserver.queryparams import BindingPolicy
from mockserver.tachoshare import (
    scenario,  # noqa: F401 (registers the `exhaustManualAttempts` step)
    timelines,  # noqa: F401 (registers the console's vehicle and driver timelines)
)
from mockserver.tachoshare.service import SCOPE, TachoShareService
from mockserver.tachoshare.state import SECTION, RdlRequests
from mockserver.tachoshare.worldstate import WORLD_STATE

if TYPE_CHECKING:
    from starlette.datastructures import Headers

    from mockserver.simulator import Simulator


def bearer_account(sim: Simulator, headers: Headers) -> tuple[str | None, str | None]:
    """The bearer token and the account it was issued for (None for a missing or invalid token)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None, None
    principal = sim.principal(token.strip())
    return token.strip(), principal.account if principal else None


def _service(sim: Simulator) -> TachoShareService:
    return TachoShareService(sim.account, sim.clock.now, sim.store)


PLUGIN = register(
    ApiPlugin(
        name="tachoshare",
        spec="tachoshare.yaml",
        base_path="/tachoshare",
        handlers="mockserver.tachoshare.handlers",
        error=described_error,
        title="Webfleet TachoShare.connect 2.19.0",
        account=bearer_account,
        oauth_scope=OAuthScope(
            SCOPE,
            "Read your tachograph data (vehicles, drivers, company cards and their files) and "
            "request remote downloads.",
        ),
        bearer_challenge=True,
        strict_parameters=True,
        query_binding=BindingPolicy(),  # a Java service: exact names, unknown ones ignored
        cacheable_reads=frozenset(
            {"listVehicles", "getVehicle", "listDrivers", "listCompanyCards", "listCompanyCardGroups"}
        ),
        fault_target=True,
        state={SECTION: RdlRequests.from_json},
        service=_service,
        world_state=WORLD_STATE,
        banner=lambda sim, base: [
            f"  TachoShare.connect  {base}/tachoshare/vehicles        Swagger UI {base}/tachoshare/ui/"
        ],
        verify_target=True,
    )
)
