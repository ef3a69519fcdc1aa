"""Reveal LogBook as a plug-in: its spec and mount, Atmosphere callers, error shape, reads, state, world part."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mockserver.apis import ApiPlugin, register
from mockserver.errors import ApiError
from mockserver.queryparams import BindingPolicy
from mockserver.reveal.gateway import parse_atmosphere
from mockserver.reveal.models import PART, RevealAccount, reveal_of
from mockserver.reveal.service import RevealService
from mockserver.reveal.state import SECTION, RevealState
from mockserver.reveal.summary import reveal_summary
from mockserver.reveal.views import reveal_error
from mockserver.reveal.world import RevealSpec, build_reveal_account
from mockserver.world.extensions import WorldExtension

if TYPE_CHECKING:
    from starlette.datastructures import Headers

    from mockserver.simulator import Simulator
    from mockserver.world.models import Account


def atmosphere_account(sim: Simulator, headers: Headers) -> tuple[str | None, str | None]:
    """The Atmosphere header's token and its account (None for a missing, malformed or expired one)."""
    header = headers.get("authorization", "")
    try:
        token = parse_atmosphere(header).token
    except ApiError:
        return None, None
    service: RevealService = sim.services["reveal"]
    try:
        return token, service.authenticate(header).account
    except ApiError:
        return token, None


def _service(sim: Simulator) -> RevealService:
    return RevealService(
        sim.world.seed, lambda: sim.world.accounts, sim.account, lambda: sim.world.start, sim.clock.now, sim.store
    )


def _for_tenant(spec: RevealSpec, name: str) -> RevealSpec:
    """A tenant's Reveal users are the template's, prefixed with the tenant's name."""
    users = [u.model_copy(update={"username": f"{name}.{u.username}"}) for u in spec.users]
    return spec.model_copy(update={"users": users})


def _tenant_credentials(account: Account) -> tuple[str, Any]:
    reveal: RevealAccount | None = reveal_of(account)
    if reveal is None or not reveal.users:
        return "reveal", None
    user, app_id = reveal.users[0], reveal.app_ids[0]
    return "reveal", {
        "username": user.username,
        "password": user.password,
        "appId": app_id,
        "authorization": f"Atmosphere atmosphere_app_id=fleetmatics-p-us-{app_id}, Bearer <token>",
    }


def _credentials(sim: Simulator) -> list[str]:
    reveal = reveal_of(sim.default_account)
    if reveal is None or not reveal.users:
        return []
    user = reveal.users[0]
    return [f"  Reveal user    {user.username} / {user.password}, app id {reveal.app_ids[0]}"]


PLUGIN = register(
    ApiPlugin(
        name="reveal",
        spec="reveal.yaml",
        base_path="/reveal",
        handlers="mockserver.reveal.handlers",
        error=reveal_error,
        title="Verizon Connect Reveal LogBook v1",
        account=atmosphere_account,
        query_binding=BindingPolicy(case_insensitive=True),  # ASP.NET Web API model binding
        cacheable_reads=frozenset({"getStatusCurrent", "getStatusHistory", "getRemainingTime"}),
        fault_target=True,
        state={SECTION: RevealState.from_json},
        service=_service,
        world=WorldExtension(PART, RevealSpec, build_reveal_account, _for_tenant),
        serves={
            "control": {"replaceRevealDriverLog": "mockserver.reveal.control.replace_reveal_driver_log"},
            "console": {"chartEldDay": "mockserver.reveal.console_chart.chart_eld_day"},  # its HOS engine: the grid
        },
        body_limits={"/_sim/reveal/drivers/": 16 * 1024 * 1024},  # a driver's whole duty log
        world_summary=reveal_summary,
        tenant_summary=_tenant_credentials,
        cli=("mockserver.reveal.cli",),
        banner=lambda sim, base: [
            f"  Reveal LogBook      {base}/reveal/logbook/v1/driver/{{driverNumber}}/statuscurrent"
            f"  Swagger UI {base}/reveal/ui/"
        ],
        credentials=_credentials,
        verify_target=True,
    )
)

# The CMD resources every LogBook answer links to (driver, vehicle, LogBook settings): their own spec and mount,
# the LogBook's callers and error shape (`mockserver.reveal.cmd`).
CMD_PLUGIN = register(
    ApiPlugin(
        name="reveal-cmd",
        spec="reveal-cmd.yaml",
        base_path="/reveal/cmd/v1",
        handlers="mockserver.reveal.cmd_handlers",
        error=reveal_error,
        account=atmosphere_account,
        query_binding=BindingPolicy(case_insensitive=True),
    )
)
