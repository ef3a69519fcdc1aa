"""The page shells: navigation, headings and forms, no data. The script (`static/pages.js`) fills them from the
public routes, so a page answers in a few milliseconds whatever the world's size, and the control token (when the
server has one) stays in the browser (sessionStorage) and goes with every `/_sim` call."""

from __future__ import annotations

from html import escape

from mockserver.apis import registry

NAV = (
    ("overview", "Overview", "/_sim/console/"),
    ("fleet", "Fleet", "/_sim/console/pages/fleet"),
    ("drivers", "Drivers", "/_sim/console/pages/drivers"),
    ("cards", "Company cards", "/_sim/console/pages/cards"),
    ("tachograph", "Driver's day", "/_sim/console/pages/tachograph"),
    ("eld", "Driver's log", "/_sim/console/pages/eld"),
    ("faults", "Faults and limits", "/_sim/console/pages/faults"),
    ("journal", "Journal", "/_sim/console/pages/journal"),
    ("scenarios", "Scenarios and snapshots", "/_sim/console/pages/scenarios"),
)

ACCOUNT = '<label>Account <select name="account" data-accounts></select></label>'
# a table's status filter: its options are the statuses the APIs that keep state about the list name (`page_html`)
STATUS = '<label>Status <select name="status"><option value="">any</option>{{statuses:{list}}}</select></label>'
EFFECTS = "".join(f"<option>{e}</option>" for e in ("respond", "latencyMs", "drop", "truncate", "trickle"))

TIMELINE = """<section><h2>Download timeline</h2><form id="timeline-form"><label>From <input name="from" type="date">
</label><label>To <input name="to" type="date"></label><button>Draw</button></form>
<div id="timeline"></div><p id="timeline-summary"></p></section>"""


def picker(name: str, hint: str) -> str:
    """A search box, a select of one page of its matches and the page's pager (`FM.picker` in console.js)."""
    return (f'<input type="search" name="{name}-search" placeholder="{escape(hint)}" size="16" '
            f'aria-label="search"><select name="{name}"></select><span class="picker" data-for="{name}"></span>')


def _options(names: tuple[str, ...]) -> str:
    return "".join(f"<option>{escape(name)}</option>" for name in names)


BODIES: dict[str, tuple[str, str]] = {
    "overview": ("Overview", """
<section><h2>Clock</h2><p>Simulated now <output id="now"></output>, rate <output id="rate"></output></p>
<p><button data-advance="3600">+1 hour</button> <button data-advance="86400">+1 day</button>
<button data-advance="604800">+7 days</button></p>
<form id="advance-form"><label>Advance by seconds <input name="seconds" type="number" min="1"></label>
<button>Advance</button></form>
<form id="clock-form"><label>Jump to <input name="now" placeholder="2026-11-03T08:00:00Z"></label>
<label>Rate <input name="rate" type="number" step="any" min="0"></label><button>Set</button></form>
<p><button id="reset">Reset the simulator</button></p><p class="error" id="clock-error"></p></section>
<section><h2>Requests in the last simulated hour</h2><table id="counts"><thead><tr><th>API</th><th>Requests</th>
</tr></thead><tbody></tbody></table><nav class="pager"></nav></section>
<section><h2>Active</h2><p>Faults: <output id="fault-count"></output>; rate limits: <output id="limit-count">
</output>; scenarios: <a href="/_sim/console/pages/scenarios">apply one</a></p></section>
<section><h2>Tenants</h2><ul id="tenants"></ul><form id="tenant-form"><label>Name <input name="name" required>
</label><button>Make a tenant</button></form><p class="error" id="tenant-error"></p></section>"""),
    "fleet": ("Fleet", f"""<form id="filters">{ACCOUNT}{STATUS.format(list="vehicles")}</form>
<table id="rows" class="paged"><thead><tr><th>VIN</th><th>Plate</th><th>rdlStatus</th><th>rdlHealthStatus</th>
<th>Manual left</th><th>Next scheduled</th><th>Last activity</th><th>Generation</th><th>Lock card</th></tr></thead>
<tbody></tbody></table><nav class="pager"></nav>"""),
    "vehicle": ("Vehicle", TIMELINE + """<dl id="facts"></dl><p><button id="rdl">Request an RDL</button>
<output id="rdl-result"></output></p>
<form id="files-form"><label>From <input name="from" type="date"></label><label>To <input name="to" type="date">
</label><button>Download the VU file</button></form><p class="error" id="vehicle-error"></p>
<h2>Day chart</h2><form id="day-form"><label>Day <input name="day" type="date"></label><button>Draw</button></form>
<div id="chart"></div>"""),
    "drivers": ("Drivers", f"""<form id="filters">{ACCOUNT}{STATUS.format(list="drivers")}</form>
<table id="rows" class="paged"><thead><tr><th>Card</th><th>Country</th><th>Name</th><th>rdlStatus</th>
<th>Last download</th><th>Next scheduled</th><th>First available</th></tr></thead><tbody></tbody></table>
<nav class="pager"></nav>"""),
    "driver": ("Driver", TIMELINE + """<dl id="facts"></dl><p><a id="day-link">The driver's day</a></p>
<form id="files-form"><label>From <input name="from" type="date"></label><label>To <input name="to" type="date">
</label><button>Download the card files (ZIP)</button></form><p class="error" id="driver-error"></p>"""),
    "cards": ("Company cards", f"""<form id="filters">{ACCOUNT}{STATUS.format(list="companyCards")}</form>
<table id="rows" class="paged"><thead><tr>
<th>Card</th><th>Company</th><th>Status</th><th>Group</th><th>Insertion</th><th>Expiration</th></tr></thead>
<tbody></tbody></table><nav class="pager"></nav>"""),
    "card": ("Company card", TIMELINE.replace("Download timeline", "Timeline") + """<dl id="facts"></dl>
<p class="hint">A company card is never downloaded: its timeline is its status along simulated time, its first use
in an RDL, and the RDL attempts of the vehicle units locked with it (each names its VIN).</p>"""),
    "tachograph": ("A driver's day (tachograph)", f"""<form id="day-form">{ACCOUNT}
<label>Driver card {picker("card", "name or card number")}</label>
<label>or vehicle {picker("vin", "VIN or plate")}</label>
<label>Day <input name="day" type="date" required></label><button type="submit">Draw</button></form>
<p class="error" id="day-error"></p><div id="chart"></div><dl id="totals"></dl>"""),
    "eld": ("A driver's log (Reveal)", f"""<form id="eld-form">{ACCOUNT}
<label>Driver {picker("driver", "name or number")}</label><label>Day <input name="day" type="date" required></label>
<label>Clocks at (UTC) <input name="at" type="time" step="60"></label><button type="submit">Draw</button></form>
<p class="hint">Clocks at an empty time: now, or the end of a past day.</p><p class="error" id="eld-error"></p>
<div id="chart"></div><h2>Clocks at <output id="clocks-at"></output></h2><dl id="clocks"></dl>
<h2>Now (remainingtime)</h2><dl id="remaining"></dl><h2>Violations</h2><ul id="violations"></ul>
<form id="log-form"><label>Replace the log (LOG.json) <input name="log" type="file" accept=".json,application/json">
</label><button>Upload</button></form>"""),
    "faults": ("Faults and limits", f"""<div><table id="rules"><thead><tr><th>id</th><th>match</th><th>effect</th>
<th>times</th><th>probability</th><th></th></tr></thead><tbody></tbody></table><nav class="pager"></nav></div>
<h2>Add a fault</h2><form id="fault-form" novalidate>
<label>API <select name="api">{{fault_apis}}</select></label>
<label>Method <input name="method" value="*"></label><span class="field-error" data-field="match.method"></span>
<label>Path <input name="path" value="*"></label><span class="field-error" data-field="match.path"></span>
<label>Times <input name="times"></label><span class="field-error" data-field="times"></span>
<label>Probability <input name="probability"></label><span class="field-error" data-field="probability"></span>
<label>Effect <select name="effect">{EFFECTS}</select></label>
<label>Status <input name="status" value="503"></label><span class="field-error" data-field="respond.status"></span>
<label>Latency ms <input name="latencyMs" value="500"></label><span class="field-error" data-field="latencyMs"></span>
<button>Add</button><p class="error" id="fault-error"></p></form>
<h2>Rate limits</h2><div><table id="limits"><thead><tr><th>api</th><th>per</th><th>rate</th><th>burst</th></tr>
</thead><tbody></tbody></table><nav class="pager"></nav></div><h3>Buckets in use</h3><div><table id="buckets"><thead>
<tr><th>api</th><th>per</th><th>who</th><th>tokens left</th><th>burst</th></tr></thead><tbody></tbody></table>
<nav class="pager"></nav></div>
<form id="limit-form"><label>Rules (JSON) <textarea name="rules" rows="3" cols="60">
</textarea></label><button>Set</button><p class="error" id="limit-error"></p></form>"""),
    "journal": ("Journal", """<form id="filters"><label>API <select name="api"><option value="">any</option>
{journal_apis}</select></label>
<label>Method <input name="method" size="6"></label><label>Path glob <input name="path"></label>
<label>Status <input name="status" size="4"></label><label>Account <input name="account" size="8"></label>
<label><input type="checkbox" name="pause"> Pause</label><button type="button" id="export">Export JSON lines
</button></form><ol id="lines" reversed></ol><p><button type="button" id="older">Older entries</button></p>"""),
    "scenarios": ("Scenarios and snapshots", """<ul id="scenarios"></ul><p class="error" id="scenario-error"></p>
<h2>Snapshot</h2><p><button id="snapshot">Download the state</button></p>
<form id="restore-form"><label>Restore from <input name="file" type="file" accept=".json"></label>
<button>Restore</button></form><p id="restore-result"></p>"""),
}


def page_html(page: str) -> str:
    title, body = BODIES[page]
    apis = registry()
    body = body.replace("{fault_apis}", _options((*apis.fault_targets(), "*")))
    body = body.replace("{journal_apis}", _options(apis.names()))
    for name in ("vehicles", "drivers", "companyCards"):
        statuses = dict.fromkeys(v for state in apis.world_states(name).values() for v in state.values)
        body = body.replace(f"{{statuses:{name}}}", _options(tuple(statuses)))
    current = {name: " aria-current=page" if name == page else "" for name, _, _ in NAV}
    links = "".join(f'<a href="{href}"{current[name]}>{escape(label)}</a>' for name, label, href in NAV)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>fleetmock console: {escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/_sim/console/assets/console.css"></head>
<body data-page="{escape(page)}"><header><b>fleetmock console</b><nav>{links}</nav>
<form id="token-form" hidden><label>Control token <input name="token" type="password"></label><button>Use</button>
</form></header><main><h1>{escape(title)}</h1><p class="error" id="page-error"></p>{body}</main>
<script src="/_sim/console/assets/console.js"></script><script src="/_sim/console/assets/pages.js"></script>
</body></html>"""
