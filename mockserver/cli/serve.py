"""`fleetmock serve`: every API on one port, on the default embedded world or a world file."""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import UTC, datetime

from mockserver.clock import SimClock, parse_instant
from mockserver.world import WorldError, load_world


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("serve", help="serve the simulator (all APIs and the control plane)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--seed", type=int, default=None, help="seed (default: the world file's)")
    parser.add_argument("--world", default=None, help="world YAML file (default: the embedded demo world)")
    parser.add_argument(
        "--start",
        default=None,
        help="simulated start instant, ISO 8601 or 'now' (default: the world file's start)",
    )
    parser.add_argument(
        "--rate",
        type=float,
        default=1.0,
        help="simulated seconds per real second: 0 freezes the clock, 1 is real time (default)",
    )
    parser.add_argument("--state", default=None, help="keep the mutable state in this SQLite file")
    parser.add_argument("--vehicles", type=int, default=None, help="scale the first account to N vehicles")
    parser.add_argument("--drivers", type=int, default=None, help="scale the first account to M drivers")
    parser.add_argument("--strict", action="store_true", help="validate every response against its spec")
    parser.add_argument("--log-level", default="warning", choices=["debug", "info", "warning", "error"])
    parser.set_defaults(handler=run)


def _start(text: str | None) -> datetime | None:
    if text is None:
        return None
    if text == "now":
        return datetime.now(UTC)  # the one wall-clock read: the user asked for it
    return parse_instant(text)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from mockserver.app import create_app
    from mockserver.simulator import Simulator

    if args.state is not None:
        print("fleetmock: --state is not supported by this version yet", file=sys.stderr)
        return 2
    try:
        start = _start(args.start)
        world = load_world(args.world, seed=args.seed, start=start, vehicles=args.vehicles, drivers=args.drivers)
    except (WorldError, ValueError) as exc:
        print(f"fleetmock: {exc}", file=sys.stderr)
        return 2
    if args.rate < 0:
        print("fleetmock: --rate must be 0 or more", file=sys.stderr)
        return 2
    sim = Simulator(world, SimClock(world.start, rate=args.rate))
    app = create_app(sim, strict=args.strict)
    base = f"http://{args.host}:{args.port}"
    print(banner(sim, base), flush=True)
    logging.basicConfig(level=args.log_level.upper())
    logging.getLogger("connexion").setLevel(logging.ERROR)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False, lifespan="off")
    return 0


def banner(sim: object, base: str) -> str:
    from mockserver.simulator import Simulator

    assert isinstance(sim, Simulator)
    account = sim.default_account
    user = account.users[0]
    client = sim.world.clients[0] if sim.world.clients else None
    lines = [
        f"fleetmock serving on {base}  (world seed {sim.world.seed}, clock {sim.clock.now().isoformat()}, "
        f"rate {sim.clock.rate})",
        f"  TachoShare.connect  {base}/tachoshare/vehicles        Swagger UI {base}/tachoshare/ui/",
        f"  Webfleet OAuth      {base}/webfleet-auth/uaa/oauth/authorize",
        f"  Reveal LogBook      {base}/reveal/logbook/v1/driver/{{driverNumber}}/statuscurrent",
        f"  Control plane       {base}/_sim/health",
        "Demo credentials:",
    ]
    if client:
        lines.append(f"  OAuth client   {client.client_id} / {client.secret}")
    lines += [
        f"  Webfleet user  {user.username} / {user.password} (account {account.name})",
        "  Reveal user    demo / demo, app id DEMOAPPID",
        f"  CI token       curl -X POST {base}/_sim/tokens",
    ]
    return "\n".join(lines)
