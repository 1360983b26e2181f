"""The `podium` command: run the whole stack, one service, the demo experts, make a token, or
export the results and the audit log."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from services.tools import commands
from shared.championship import ChampionshipError
from shared.plumbing.settings import (
    NATS_PORT,
    REDIS_PORT,
    Settings,
    SettingsError,
)

DEFAULT_DATA_DIR = Path(".podium")


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
    subcommands = top.add_subparsers(required=True, metavar="COMMAND")
    _up_options(subcommands.add_parser("up", help="start NATS, Redis and the three services"))
    _token_options(subcommands.add_parser("token", help="print a bearer token for a person"))
    _cards_options(
        subcommands.add_parser(
            "cards", help="printable sign-in cards with QR codes (A4, 8 a page), one per person"
        )
    )
    _revoke_options(
        subcommands.add_parser(
            "revoke", help="revoke a person's sign-in: their cards and tokens so far stop working"
        )
    )
    for service in ("intake", "ranking", "broadcast"):
        one = subcommands.add_parser(service, help=f"run {service} (settings from PODIUM_*)")
        one.set_defaults(run=commands.run_service, service=service)
    demo = subcommands.add_parser("demo", help="simulated experts marking a championship day")
    demo.add_argument("--intake", required=True, metavar="URL")
    _championship_options(demo)
    demo.add_argument("--rate", type=float, default=4.0, help="marks per second, all skills")
    demo.add_argument("--seed", type=int, default=2025)
    demo.set_defaults(run=commands.run_demo)
    _export_commands(subcommands)
    _results_commands(subcommands)
    _championship_file_options(
        subcommands.add_parser(
            "championship", help="check a championship (and its workbooks) or export it as JSON"
        )
    )
    rebuild = subcommands.add_parser("rebuild", help="replay the event log into Redis, new epochs")
    rebuild.set_defaults(run=commands.run_rebuild)
    backup = subcommands.add_parser("backup", help="copy the event log into DIR (files)")
    backup.add_argument("directory", type=Path, metavar="DIR", help="a new or empty directory")
    backup.set_defaults(run=commands.run_backup)
    restore = subcommands.add_parser("restore", help="put a backup into an empty event log")
    restore.add_argument("directory", type=Path, metavar="DIR", help="made by podium backup")
    restore.set_defaults(run=commands.run_restore)
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
    up.set_defaults(run=commands.run_up)


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
    token.set_defaults(run=commands.run_token)


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
    cards.set_defaults(run=commands.run_cards)


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
    revoke.set_defaults(run=commands.run_revoke)


def _championship_file_options(championship: argparse.ArgumentParser) -> None:
    files = championship.add_subparsers(required=True, metavar="WHAT")
    check = files.add_parser("check", help="a summary of the championship, or every problem")
    check.add_argument("path", type=Path, metavar="PATH", help="championship .toml or .json")
    check.set_defaults(run=commands.run_championship_check)
    export_file = files.add_parser("export", help="write the equivalent self-contained JSON file")
    export_file.add_argument("path", type=Path, metavar="PATH", help="championship .toml or .json")
    export_file.add_argument(
        "-o", "--output", type=Path, metavar="FILE.json", help="stdout without it"
    )
    export_file.set_defaults(run=commands.run_championship_export)


def _export_commands(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`podium export results|medals|audit|judges`."""
    export = subcommands.add_parser(
        "export", help="the results, the medal table, the audit log or a skill's judges"
    )
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
    results.add_argument(
        "--public",
        action="store_true",
        help="competitors under their public names, for publishing (docs/privacy.md)",
    )
    results.set_defaults(run=commands.run_export_results)
    medals = sheets.add_parser("medals", help="the medal table, averages and best overall")
    medals.add_argument("--format", choices=("csv", "xlsx", "json"), default="csv")
    medals.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    medals.set_defaults(run=commands.run_export_medals)
    audit = sheets.add_parser("audit", help="every accepted command, oldest first, as NDJSON")
    audit.add_argument("--skill", metavar="ID", help="only this skill's commands")
    audit.add_argument("--output", type=Path, metavar="PATH", help="stdout without it")
    audit.set_defaults(run=commands.run_export_audit)
    judges = sheets.add_parser(
        "judges", help="one skill's judgement analysis: each judge beside the others"
    )
    judges.add_argument("--skill", required=True, metavar="ID")
    judges.add_argument(
        "-o", "--output", type=Path, metavar="FILE.csv|.xlsx", help="CSV on stdout without it"
    )
    judges.set_defaults(run=commands.run_export_judges)


def _results_commands(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`podium publish` and `podium certificates`: after the championship."""
    publish = subcommands.add_parser(
        "publish", help="the static results site: final skills, public names, every language"
    )
    publish.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    _championship_options(publish)
    publish.set_defaults(run=commands.run_publish)
    certificates = subcommands.add_parser(
        "certificates", help="a PDF per final skill: an A4 certificate per competitor"
    )
    certificates.add_argument("--skill", metavar="ID", help="only this skill")
    certificates.add_argument("--lang", help="the certificates' language (default: the first)")
    certificates.add_argument("-o", "--output", type=Path, required=True, metavar="DIR")
    _championship_options(certificates)
    certificates.set_defaults(run=commands.run_certificates)


def _championship_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--championship", type=Path, default=None, metavar="PATH")
    command.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR, metavar="DIR")
