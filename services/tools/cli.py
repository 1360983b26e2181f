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
    DEMO_CHAMPIONSHIP,
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
    _cards_options(
        commands.add_parser(
            "cards", help="printable sign-in cards with QR codes (A4, 8 a page), one per person"
        )
    )
    _revoke_options(
        commands.add_parser(
            "revoke", help="revoke a person's sign-in: their cards and tokens so far stop working"
        )
    )
    for service in ("intake", "ranking", "broadcast"):
        one = commands.add_parser(service, help=f"run {service} (settings from PODIUM_*)")
        one.set_defaults(run=_service, service=service)
    demo = commands.add_parser("demo", help="simulated experts marking a championship day")
    demo.add_argument("--intake", required=True, metavar="URL")
    _championship_options(demo)
    demo.add_argument("--rate", type=float, default=4.0, help="marks per second, all skills")
    demo.add_argument("--seed", type=int, default=2025)
    demo.set_defaults(run=_demo)
    _export_commands(commands)
    _championship_file_options(
        commands.add_parser(
            "championship", help="check a championship (and its workbooks) or export it as JSON"
        )
    )
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


def _cards_options(cards: argparse.ArgumentParser) -> None:
    cards.add_argument(
        "--base-url",
        required=True,
        metavar="URL",
        help="intake as the tablets reach it, e.g. http://10.0.0.5:8001",
    )
    cards.add_argument("--skill", metavar="ID", help="only the people of this skill")
    cards.add_argument(
        "--valid-from", metavar="ISO", help="not before (a date, or a time; the venue's zone)"
    )
    cards.add_argument(
        "--valid-until", metavar="ISO", help="until (default: the token lifetime, or the day's end)"
    )
    cards.add_argument("--lang", default="en", help="language of the cards' words")
    cards.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.html")
    _championship_options(cards)
    cards.set_defaults(run=_cards)


def _revoke_options(revoke: argparse.ArgumentParser) -> None:
    revoke.add_argument("person", metavar="PERSON_ID")
    revoke.add_argument("--reason", required=True, help="why, for the audit log")
    revoke.add_argument(
        "--intake",
        default=f"http://127.0.0.1:{Settings.from_env().intake_port}",
        metavar="URL",
        help="intake's address",
    )
    revoke.add_argument(
        "--as",
        dest="by",
        metavar="PERSON_ID",
        help="who revokes: an organizer, or the person's chief (default: the first organizer)",
    )
    _championship_options(revoke)
    revoke.set_defaults(run=_revoke)


def _championship_file_options(championship: argparse.ArgumentParser) -> None:
    files = championship.add_subparsers(required=True, metavar="WHAT")
    check = files.add_parser("check", help="a summary of the championship, or every problem")
    check.add_argument("path", type=Path, metavar="PATH", help="championship .toml or .json")
    check.set_defaults(run=_championship_check)
    export_file = files.add_parser("export", help="write the equivalent self-contained JSON file")
    export_file.add_argument("path", type=Path, metavar="PATH", help="championship .toml or .json")
    export_file.add_argument(
        "-o", "--output", type=Path, metavar="FILE.json", help="stdout without it"
    )
    export_file.set_defaults(run=_championship_export)


def _export_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`podium export results|medals|audit`."""
    export = commands.add_parser("export", help="the results, the medal table or the audit log")
    sheets = export.add_subparsers(required=True, metavar="WHAT")
    results = sheets.add_parser("results", help="every skill's results, as WorldSkills publishes")
    results.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    results.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    results.add_argument(
        "--layout",
        choices=("podium", "cis"),
        default="podium",
        help="cis: the ceremony columns (Position, Medal, Member, Member Name, First Name, "
        "Last Name, Skill, Scale Score), one line per person",
    )
    results.set_defaults(run=_export_results)
    medals = sheets.add_parser("medals", help="the medal table, averages and best overall")
    medals.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    medals.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    medals.set_defaults(run=_export_medals)
    audit = sheets.add_parser("audit", help="every accepted command, oldest first, as NDJSON")
    audit.add_argument("--skill", metavar="ID", help="only this skill's commands")
    audit.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    audit.set_defaults(run=_export_audit)


def _championship_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--championship", type=Path, default=None, metavar="PATH")
    command.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")


def _championship_path(args: argparse.Namespace) -> Path:
    """--championship, else PODIUM_CHAMPIONSHIP, else the demo as its organisers hold it."""
    env = Settings.from_env().championship
    chosen = env if env != Settings().championship else str(DEMO_CHAMPIONSHIP)
    path: Path = args.championship or Path(chosen)
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


def _cards(args: argparse.Namespace) -> int:
    import time

    from services.tools import cards

    championship = load(_championship_path(args))
    if args.lang not in cards.WORDS:
        print(f"podium: --lang {args.lang}: one of {', '.join(cards.WORDS)}", file=sys.stderr)
        return 2
    now = time.time()
    try:
        base = cards.base_of(args.base_url)
        valid = cards.window(args.valid_from, args.valid_until, cards.venue_zone(championship), now)
        people = cards.people_of(championship, args.skill)
        made = cards.cards_for(people, _secret(args), base, valid, now)
        cards.write_private(args.output, cards.page(championship, made, valid, args.lang))
    except (cards.CardsError, OSError) as error:
        print(f"podium: {error}", file=sys.stderr)
        return 2
    pages = -(-len(made) // cards.PER_PAGE)
    print(f"podium: {len(made)} cards on {pages} pages in {args.output}", file=sys.stderr)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    import httpx

    championship = load(_championship_path(args))
    organizers = [p.id for p in championship.experts if p.role == "organizer"]
    by = championship.index.experts.get(args.by or (organizers[0] if organizers else ""))
    if by is None:
        print(f"podium: no person {args.by!r} to revoke as", file=sys.stderr)
        return 2
    # A token of a minute for this one request, as the person who revokes.
    signed = issue(Identity(by.id, by.role), _secret(args), 60)
    try:
        answer = httpx.post(
            args.intake.rstrip("/") + "/api/revocations",
            json={"person": args.person, "reason": args.reason},
            headers={"Authorization": f"Bearer {signed}"},
            timeout=10,
        )
    except httpx.HTTPError as error:
        print(f"podium: cannot reach intake at {args.intake}: {error}", file=sys.stderr)
        return 2
    body = answer.json()
    if answer.status_code != 201:
        print(f"podium: {answer.status_code} {body.get('detail', answer.text)}", file=sys.stderr)
        return 2
    print(
        f"podium: the sign-in of {body['person']} is revoked from {body['revoked_at']} "
        f"(seq {body['seq']}); print a new card for them"
    )
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


def _championship_check(args: argparse.Namespace) -> int:
    from services.tools.championship import summary

    try:
        championship = load(args.path)
    except ChampionshipError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary(championship), end="")
    return 0


def _championship_export(args: argparse.Namespace) -> int:
    from services.tools.championship import encoded

    try:
        data = encoded(load(args.path))
    except ChampionshipError as error:
        print(error, file=sys.stderr)
        return 1
    if args.output is None:
        sys.stdout.buffer.write(data)
    else:
        args.output.write_bytes(data)
        print(f"podium: {args.output} written", file=sys.stderr)
    return 0


def _export_results(args: argparse.Namespace) -> int:
    from services.tools import export

    settings = Settings.from_env()
    return _exported(export.export_results(settings, args.format, args.output, args.layout))


def _export_medals(args: argparse.Namespace) -> int:
    from services.tools import export

    return _exported(export.export_medals(Settings.from_env(), args.format, args.output))


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
