"""The landing page at `/`: what is served here, the demo credentials, and links to each API's Swagger UI."""

from __future__ import annotations

import html

from starlette.responses import HTMLResponse

from mockserver import __version__, runtime
from mockserver.http import iso_instant

_APIS = (
    ("Webfleet TachoShare.connect 2.19.0", "/tachoshare"),
    ("Webfleet OAuth2 authorization server", "/webfleet-auth/uaa/oauth"),
    ("Verizon Connect Reveal LogBook v1", "/reveal"),
    ("fleetmock control plane", "/_sim"),
)


async def landing_page() -> HTMLResponse:
    sim = runtime.current()
    account = sim.default_account
    user = account.users[0]
    client = sim.world.clients[0] if sim.world.clients else None
    rows = "".join(
        f"<li><b>{html.escape(name)}</b> at <code>{prefix}</code> — "
        f'<a href="{prefix}/ui/">Swagger UI</a> · <a href="{prefix}/openapi.json">spec</a></li>'
        for name, prefix in _APIS
    )
    client_line = (
        f"<li>OAuth client <code>{html.escape(client.client_id)}</code> / "
        f"<code>{html.escape(client.secret)}</code></li>"
        if client
        else ""
    )
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fleetmock</title>
<style>body{{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;line-height:1.5}}
code{{background:#f2f2f2;padding:0 .25rem}}</style></head>
<body><h1>fleetmock {html.escape(__version__)}</h1>
<p>A stateful simulator of Webfleet TachoShare.connect and Verizon Connect Reveal LogBook.
Simulated time: <code>{iso_instant(sim.clock.now())}</code> (rate {sim.clock.rate}).</p>
<h2>APIs</h2><ul>{rows}</ul>
<h2>Demo credentials</h2><ul>{client_line}
<li>Webfleet user <code>{html.escape(user.username)}</code> / <code>{html.escape(user.password)}</code>
(account <code>{html.escape(account.name)}</code>)</li>
<li>Reveal user <code>demo</code> / <code>demo</code>, app id <code>DEMOAPPID</code></li>
<li>The QA console: <a href="/_sim/console/">/_sim/console/</a></li>
<li>A token for CI: <code>POST /_sim/tokens</code>; the whole world: <a href="/_sim/world">/_sim/world</a></li>
</ul></body></html>"""
    return HTMLResponse(page)
