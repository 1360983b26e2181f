"""The `podium` command: run the whole stack, one service, the demo experts, make a token, or
export the results and the audit log."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from shared.championship import ChampionshipError, load
from shared.settings import (
    NATS_PORT,
    REDIS_PORT,
    Settings,
    SettingsError,
    checked_secret,
)
from shared.tokens import Identity, issue, secret_in

DEFAULT_DATA_DIR = Path(".podium")

T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        code: int = args.run(args)
    except (ChampionshipError, SettingsError) as error:
        print(f"podium: {error}", file=sys.stderr)
        return 2
    return code


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="podium", description=__doc__)
    commands = top.add_subparsers(required=True, metavar="COMMAND")
    _up_options(commands.add_parser("up", help="start NATS, Redis and the three services"))
    _token_options(commands.add_parser("token", help="print a bearer token for a person"))
    for service in ("intake", "ranking", "broadcast"):
        one = commands.add_parser(service, help=f"run {service} (settings from PODIUM_*)")
        one.set_defaults(run=_service, service=service)
    demo = commands.add_parser("demo", help="simulated experts marking a championship day")
    demo.add_argument("--intake", required=True, metavar="URL")
    _championship_options(demo)
    demo.add_argument("--rate", type=float, default=4.0, help="marks per second, all skills")
    demo.add_argument("--seed", type=int, default=2025)
    demo.set_defaults(run=_demo)
    _export_options(commands.add_parser("export", help="the results sheet or the audit log"))
    rebuild = commands.add_parser("rebuild", help="replay the event log into Redis, new epochs")
    rebuild.set_defaults(run=_rebuild)
    backup = commands.add_parser("backup", help="copy the event log into DIR (files)")
    backup.add_argument("directory", type=Path, metavar="DIR", help="a new or empty directory")
    backup.set_defaults(run=_backup)
    restore = commands.add_parser("restore", help="put a backup into an empty event log")
    restore.add_argument("directory", type=Path, metavar="DIR", help="made by podium backup")
    restore.set_defaults(run=_restore)
    return top


def _up_options(up: argparse.ArgumentParser) -> None:
    # Everything on the settings' defaults, whatever PODIUM_* says: `podium up` sets those
    # for the parts it starts.
    defaults = Settings()
    _championship_options(up)
    up.add_argument("--demo", action="store_true", help="also run simulated experts")
    up.add_argument("--host", default=defaults.host, help="address the services listen on")
    for name, port in (
        ("intake", defaults.intake_port),
        ("broadcast", defaults.broadcast_port),
        ("ranking", defaults.ranking_port),
        ("nats", NATS_PORT),
        ("redis", REDIS_PORT),
    ):
        up.add_argument(f"--{name}-port", type=int, default=port)
    up.add_argument("--nats-url", help="use this NATS server instead of starting one")
    up.add_argument("--redis-url", help="use this Redis server instead of starting one")
    up.add_argument("--demo-rate", type=float, default=4.0, help="demo marks per second")
    up.set_defaults(run=_up)


def _token_options(token: argparse.ArgumentParser) -> None:
    environment = Settings.from_env()
    token.add_argument("expert", metavar="EXPERT_ID")
    _championship_options(token)
    token.add_argument(
        "--ttl", type=int, default=environment.token_ttl_s, help="seconds the token is valid"
    )
    token.add_argument(
        "--link", action="store_true", help="print the sign-in link of the marking page instead"
    )
    token.add_argument(
        "--host",
        default=environment.host,
        help="address of intake as the tablets reach it (for --link)",
    )
    token.add_argument("--intake-port", type=int, default=environment.intake_port)
    token.set_defaults(run=_token)


def _export_options(export: argparse.ArgumentParser) -> None:
    sheets = export.add_subparsers(required=True, metavar="WHAT")
    results = sheets.add_parser("results", help="every skill's results, as WorldSkills publishes")
    results.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    results.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    results.set_defaults(run=_export_results)
    audit = sheets.add_parser("audit", help="every accepted command, oldest first, as NDJSON")
    audit.add_argument("--skill", metavar="ID", help="only this skill's commands")
    audit.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    audit.set_defaults(run=_export_audit)


def _championship_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--championship", type=Path, default=None, metavar="PATH")
    command.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")


def _championship_path(args: argparse.Namespace) -> Path:
    path: Path = args.championship or Path(Settings.from_env().championship)
    return path


def _secret(args: argparse.Namespace) -> str:
    """PODIUM_SECRET, else the data dir's own (made on first use)."""
    return checked_secret(Settings.from_env().secret or secret_in(args.data_dir))


def _up(args: argparse.Namespace) -> int:
    from services.tools import supervisor

    return supervisor.run(args, _championship_path(args), _secret(args))


def _token(args: argparse.Namespace) -> int:
    championship = load(_championship_path(args))
    expert = championship.index.experts.get(args.expert)
    if expert is None:
        print(f"podium: no person {args.expert!r} in {championship.name}", file=sys.stderr)
        return 2
    signed = issue(Identity(expert.id, expert.role), _secret(args), args.ttl)
    if args.link:
        # In the fragment, so the token never reaches a server log or a Referer header.
        page = "chief" if expert.role == "organizer" else "mark"
        print(f"http://{args.host}:{args.intake_port}/{page}#token={signed}")
    else:
        print(signed)
    return 0


def _service(args: argparse.Namespace) -> int:
    from services.tools import runner

    settings = Settings.from_env()
    if args.service == "intake":
        checked_secret(settings.secret)
    runner.serve(args.service, settings)
    return 0


def _demo(args: argparse.Namespace) -> int:
    import asyncio

    from services.tools import demo
    from shared import logs

    logs.configure("demo")
    championship = load(_championship_path(args))
    plan = demo.day_plan(championship, seed=args.seed)
    tablets = demo.Tablets(championship, _secret(args), args.intake)
    return asyncio.run(demo.play(plan, tablets, rate=args.rate))


def _export_results(args: argparse.Namespace) -> int:
    from services.tools import export

    return _exported(export.export_results(Settings.from_env(), args.format, args.output))


def _export_audit(args: argparse.Namespace) -> int:
    from services.tools import export

    return _exported(export.export_audit(Settings.from_env(), args.skill, args.output))


def _rebuild(args: argparse.Namespace) -> int:
    import asyncio

    from services.tools.rebuild import request_rebuild

    settings = Settings.from_env()
    skills = asyncio.run(request_rebuild(settings, load(Path(settings.championship))))
    print(f"podium: {skills} skills will be rebuilt from the log by ranking")
    return 0


def _backup(args: argparse.Namespace) -> int:
    from services.tools.backup import Manifest, backup

    def done(manifest: Manifest) -> str:
        return (
            f"podium: {manifest.commands} commands (to seq {manifest.last_seq}) in {args.directory}"
        )

    return _logged(backup(Settings.from_env(), args.directory), done)


def _restore(args: argparse.Namespace) -> int:
    from services.tools.backup import Manifest, restore

    def done(manifest: Manifest) -> str:
        return f"podium: {manifest.commands} commands restored; ranking rebuilds the standings"

    return _logged(restore(Settings.from_env(), args.directory), done)


def _exported(job: Coroutine[Any, Any, None]) -> int:
    return _logged(job, lambda _: "")


def _logged(job: Coroutine[Any, Any, T], done: Callable[[T], str]) -> int:
    """Run a command on the event log: its summary on success, one line and exit 2 if not."""
    import asyncio

    from services.tools.logreader import LogError

    try:
        summary = done(asyncio.run(job))
    except LogError as error:
        print(f"podium: {error}", file=sys.stderr)
        return 2
    if summary:
        print(summary, file=sys.stderr)
    return 0
