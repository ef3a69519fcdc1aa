"""The Webfleet OAuth2 authorization server as a plug-in: it issues the bearer tokens other APIs accept.

Its `principals` lookup is what `Simulator.principal(token)` answers with; the scopes it grants are the ones the
other plugins declare (`ApiPlugin.oauth_scope`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockserver.apis import ApiPlugin, register
from mockserver.oauth.errors import oauth_error
from mockserver.oauth.service import OAuthService
from mockserver.oauth.state import SECTION, OAuthState

if TYPE_CHECKING:
    from mockserver.principal import Principal
    from mockserver.simulator import Simulator


def _service(sim: Simulator) -> OAuthService:
    return OAuthService(sim.world.seed, lambda: sim.world, sim.clock.now, sim.store)


def _principal(sim: Simulator, token: str) -> Principal | None:
    service: OAuthService = sim.services["oauth"]
    return service.principal(token)


PLUGIN = register(
    ApiPlugin(
        name="oauth",
        spec="webfleet-oauth.yaml",
        base_path="/webfleet-auth/uaa/oauth",
        handlers="mockserver.oauth.handlers",
        error=oauth_error,
        title="Webfleet OAuth2 authorization server",
        principals=_principal,
        fault_target=True,
        state={SECTION: OAuthState.from_json},
        service=_service,
        banner=lambda sim, base: [f"  Webfleet OAuth      {base}/webfleet-auth/uaa/oauth/authorize"],
        serves={"control": {"issueToken": "mockserver.oauth.control.issue_token"}},
    )
)
