"""`fleetmock serve`: every API on one port, on the default embedded world or a world file.

With `--state FILE` the mutable state and the clock live in SQLite: they survive a restart (even `kill -9`), and
`--workers N` runs N processes sharing them. A state file remembers the world it was made for (file, seed, start,
scale); when it exists it wins over the command line, and `serve` says so.

With `--state postgresql://USER:PASS@HOST:PORT/DB` the state, the clock, the journal, the rate-limit buckets and the
trace ids live in PostgreSQL, and every instance started with the same URL and world is one simulator. A database
made for another world is refused (exit status 2), as is a URL that cannot be used.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sys
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from typing import Any

from mockserver.apis import registry
from mockserver.cli import security, statefile
from mockserver.clock import SimClock, check_instant, parse_instant
from mockserver.journal import Journal
from mockserver.stores.urls import StateOpenError, is_database_url, redacted
from mockserver.world import WorldError, load_world

OPTIONS_ENV = "FLEETMOCK_SERVE_OPTIONS"
PER_PROCESS_NOTE = (
    "with --workers {n} on a SQLite file, state, clock, fault counters and tenants are shared, but the request "
    "journal, rate-limit buckets and trace ids are per worker process (each sees its share of the "
    "requests; a bucket of N allows up to {n}xN); --state postgresql://... shares them all"
)


@dataclass(frozen=True)
class WorldOptions:
    world: str | None
    seed: int | None
    start: str | None  # ISO instant; "now" is resolved before it gets here
    vehicles: int | None
    drivers: int | None


@dataclass(frozen=True)
class ServeOptions:
    world: WorldOptions
    rate: float
    state: str | None
    strict: bool
    journal_retention: int | None = None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the simulator (all APIs and the control plane)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the world file's)")
    parser.add_argument("--world", default=None, help="world YAML file (default: the embedded demo world)")
    parser.add_argument(
        "--start", default=None, help="simulated start instant, ISO 8601 or 'now' (default: the world file's start)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=1.0,
        help="simulated seconds per real second: 0 freezes the clock, 1 is real time (default)",
    )
    parser.add_argument(
        "--state",
        default=None,
        help="keep the mutable state and the clock in this SQLite file, or in PostgreSQL (postgresql://USER:PASS@HOST"
        ":PORT/DB) shared by every instance",
    )
    parser.add_argument(
        "--journal-retention",
        type=int,
        default=None,
        help="keep the newest N journal entries (default 10000 in memory, 100000 in PostgreSQL)",
    )
    parser.add_argument("--workers", type=int, default=1, help="worker processes (needs --state to share state)")
    parser.add_argument("--vehicles", type=int, default=None, help="scale the first account to N vehicles")
    parser.add_argument("--drivers", type=int, default=None, help="scale the first account to M drivers")
    parser.add_argument("--scenario", action="append", default=[], help="apply a named scenario at start")
    parser.add_argument("--no-journal", action="store_true", help="do not keep the request journal")
    parser.add_argument("--strict", action="store_true", help="validate every response against its spec")
    parser.add_argument(
        "--cors-origin",
        action="append",
        default=[],
        help="allow browser apps of this origin (e.g. http://localhost:3000; * for any): CORS headers, preflight "
        "answered (repeatable; off by default)",
    )
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    parser.add_argument(
        "--reset-state", action="store_true", help="move the --state file aside (FILE.broken-N) and start afresh"
    )
    security.register(parser)
    parser.set_defaults(handler=run)


class ServeError(Exception):
    """A reason `serve` cannot start, said in one line."""


def _start(text: str | None) -> str | None:
    if text is None:
        return None
    if text == "now":
        return datetime.now(UTC).replace(microsecond=0).isoformat()  # the one wall-clock read: the user asked
    try:
        return parse_instant(text).isoformat()
    except ValueError as exc:
        raise ServeError(f"--start {text!r}: not an ISO 8601 instant (e.g. 2026-11-02T08:00:00Z) or 'now'") from exc


def _check_scenarios(names: list[str]) -> None:
    """Refuse an unknown or invalid scenario before the world is built (one line, no traceback)."""
    from mockserver import scenarios
    from mockserver.errors import ApiError

    for name in names:
        try:
            scenarios.load(name)
        except ApiError as exc:
            raise ServeError(f"--scenario: {exc.description}") from exc


def _bind(host: str, port: int) -> socket.socket:
    """The server's socket, bound (not yet listening) before anything is printed: a taken port is one line, not a
    banner and then uvicorn's error. uvicorn starts listening on it once the app is ready, so until then a client
    polling `/_sim/health` is refused at once rather than left waiting in the backlog."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart may reuse the port
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def build_simulator(options: ServeOptions) -> tuple[Any, list[str]]:
    """The simulator `options` describe, and notes for the user (e.g. a state file overriding options)."""
    from mockserver.simulator import Simulator, state_sections

    if is_database_url(options.state):
        return _shared_simulator(options), []
    notes: list[str] = []
    chosen = options.world
    store = None
    if options.state is not None:
        try:
            store = statefile.open_state(options.state, state_sections())
            recorded = store.meta("world")
            if recorded is not None:
                recorded = statefile.world_options(recorded, tuple(WorldOptions.__dataclass_fields__), options.state)
        except statefile.StateFileError as exc:
            raise ServeError(str(exc)) from exc
        if recorded is not None:
            kept = WorldOptions(**recorded)
            differing = [k for k, v in asdict(chosen).items() if v is not None and recorded.get(k) != v]
            if differing:
                notes.append(f"state file {options.state} exists: its {', '.join(differing)} win over the command line")
            chosen = kept
    world = _load(chosen)
    if store is None:
        sim = Simulator(world, SimClock(world.start, rate=options.rate))
        if options.journal_retention is not None:
            sim.journal = Journal(options.journal_retention)
        return sim, notes
    if store.meta("world") is None:
        path = os.path.abspath(chosen.world) if chosen.world else None
        store.set_meta("world", asdict(replace(chosen, world=path, seed=world.seed, start=world.start.isoformat())))
    sim = Simulator.persistent(world, store, options.rate)
    if options.journal_retention is not None:
        sim.journal = Journal(options.journal_retention)
    if sim.clock.rate != options.rate:
        notes.append(f"state file {options.state} keeps its clock: rate {sim.clock.rate}, not {options.rate}")
    return sim, notes


def _load(chosen: WorldOptions) -> Any:
    try:
        start = check_instant(parse_instant(chosen.start), "the start") if chosen.start else None
        return load_world(chosen.world, seed=chosen.seed, start=start, vehicles=chosen.vehicles, drivers=chosen.drivers)
    except (WorldError, ValueError) as exc:
        raise ServeError(str(exc)) from exc


def _shared_simulator(options: ServeOptions) -> Any:
    """A simulator on a PostgreSQL database, which must hold this world's state or none yet."""
    from mockserver.ratelimit import RateLimiter
    from mockserver.simulator import Simulator, state_sections

    assert options.state is not None
    try:
        from mockserver.stores.opening import open_postgres
        from mockserver.stores.shared import DEFAULT_RETENTION
    except ImportError as exc:
        raise ServeError(f"PostgreSQL state needs the driver: pip install 'fleetmock[postgres]' ({exc})") from exc
    world = _load(options.world)
    chosen = options.world
    record = asdict(
        replace(
            chosen,
            world=os.path.abspath(chosen.world) if chosen.world else None,
            seed=world.seed,
            start=world.start.isoformat(),
        )
    )
    try:
        shared = open_postgres(options.state, state_sections(), options.journal_retention or DEFAULT_RETENTION)
        recorded = shared.store.claim_world(record)
    except StateOpenError as exc:
        raise ServeError(str(exc)) from exc
    if recorded != record:
        differing = ", ".join(f"{k} {recorded.get(k)!r}" for k in record if recorded.get(k) != record[k])
        raise ServeError(
            f"state database {redacted(options.state)} holds another world's state ({differing}); "
            "start every instance with the same world options, or use another database"
        )
    sim = Simulator.persistent(world, shared.store, options.rate)
    sim.journal = Journal(shared.journal.retention, shared=shared.journal)
    sim.rate_limiter = RateLimiter(shared=shared.buckets)
    return sim


def control_access(origins: list[str]) -> Any:
    """Who may use `/_sim`: browsers of the `--cors-origin` origins besides the server's own (never `*` there)."""
    return security.control_origins(origins)


def app_from_environment() -> Any:
    """The app of one worker process (`--workers`): options come from the parent through the environment."""
    from mockserver.app import create_app
    from mockserver.cors import with_cors
    from mockserver.serving import collect_less_often, prepare_for_requests

    collect_less_often()
    raw = json.loads(os.environ[OPTIONS_ENV])
    options = ServeOptions(
        WorldOptions(**raw["world"]), raw["rate"], raw["state"], raw["strict"], raw.get("journal_retention")
    )
    sim, _ = build_simulator(options)
    sim.journal.enabled = not raw.get("noJournal", False)
    origins = raw.get("corsOrigins", [])
    if os.environ.get(security.SECRET_ENV):
        sim.sign_with(os.environ[security.SECRET_ENV])
    app = with_cors(create_app(sim, strict=options.strict, access=security.from_env(raw)), origins)
    prepare_for_requests()
    return app


def _prepare(args: argparse.Namespace) -> tuple[ServeOptions, socket.socket, Any, list[str]]:
    """Options checked, the socket bound, the simulator built: each failure a `ServeError` of one line."""
    if args.rate < 0:
        raise ServeError("--rate must be 0 or more")
    if args.workers < 1 or (args.workers > 1 and args.state is None):
        raise ServeError("--workers N > 1 needs --state FILE, which the workers share")
    if args.journal_retention is not None and args.journal_retention < 1:
        raise ServeError("--journal-retention must be 1 or more")
    if args.reset_state and args.state is not None and not is_database_url(args.state):
        moved = statefile.reset(args.state)
        if moved:
            print(f"note: state file {args.state} moved aside to {moved}", flush=True)
    world = WorldOptions(args.world, args.seed, _start(args.start), args.vehicles, args.drivers)
    options = ServeOptions(world, args.rate, args.state, args.strict, args.journal_retention)
    _check_scenarios(args.scenario)
    sock = _bind(args.host, args.port)
    try:
        sim, notes = build_simulator(options)
        for name in args.scenario:
            from mockserver import scenarios

            scenarios.apply(sim, scenarios.load(name))
    except BaseException:
        sock.close()
        raise
    return options, sock, sim, notes


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.app import create_app
    from mockserver.cors import with_cors
    from mockserver.serving import TransportExposingProtocol, collect_less_often, prepare_for_requests, uvicorn_config

    collect_less_often()
    try:
        options, sock, sim, notes = _prepare(args)
        secret, secret_note = security.choose_secret(args, sim.store)
    except (ServeError, ValueError, LookupError) as exc:
        print(f"fleetmock: {exc}", file=sys.stderr)
        return 2
    sim.journal.enabled = not args.no_journal
    access = security.access_for(args)
    if secret is not None:
        sim.sign_with(secret)
    notes += [note for note in (secret_note, security.access_note(access, args.host)) if note]
    port = int(sock.getsockname()[1])
    print(banner(sim, f"http://{args.host}:{port}"), flush=True)  # only now: the port is ours
    if args.workers > 1 and not is_database_url(args.state):
        notes.append(PER_PROCESS_NOTE.format(n=args.workers))
    for note in notes:
        print(f"note: {note}", flush=True)
    logging.basicConfig(level=args.log_level.upper())
    logging.getLogger("connexion").setLevel(logging.ERROR)
    if args.workers > 1:
        sock.close()  # uvicorn's supervisor binds again (SO_REUSEADDR); the check above was the point
        extra = {"noJournal": args.no_journal, "corsOrigins": args.cors_origin, **security.to_env(access)}
        os.environ[OPTIONS_ENV] = json.dumps({**asdict(options), **extra})
        if secret is not None:
            os.environ[security.SECRET_ENV] = secret  # the workers sign with the parent's secret
        uvicorn.run(
            "mockserver.cli.serve:app_from_environment",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=port,
            log_level=args.log_level,
            access_log=False,
            lifespan="off",
            http=TransportExposingProtocol,
        )
        return 0
    app = with_cors(create_app(sim, strict=args.strict, access=access), args.cors_origin)
    server = uvicorn.Server(uvicorn_config(app, args.host, port, log_level=args.log_level))
    prepare_for_requests()
    with sock:
        server.run(sockets=[sock])
    return 0


def banner(sim: Any, base: str) -> str:
    account = sim.default_account
    user = account.users[0]
    client = sim.world.clients[0] if sim.world.clients else None
    apis = registry()
    lines = [
        f"fleetmock serving on {base}  (world seed {sim.world.seed}, clock {sim.clock.now().isoformat()}, "
        f"rate {sim.clock.rate})",
        *(line for p in apis if p.banner is not None for line in p.banner(sim, base)),
        f"  Control plane       {base}/_sim/health",
        "Demo credentials:",
    ]
    if client:
        lines.append(f"  OAuth client   {client.client_id} / {client.secret}")
    lines.append(f"  Webfleet user  {user.username} / {user.password} (account {account.name})")
    lines += [line for p in apis if p.credentials is not None for line in p.credentials(sim)]
    lines.append(f"  CI token       curl -X POST {base}/_sim/tokens")
    return "\n".join(lines)
