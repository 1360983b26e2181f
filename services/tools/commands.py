"""What each `podium` command does, given the arguments `cli.py` parsed: each runs on its own
and answers with the process's exit code (2 for a request it cannot carry out)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from shared.championship import ChampionshipError
from shared.organiser import load
from shared.plumbing.settings import DEMO_CHAMPIONSHIP, Settings, checked_secret
from shared.plumbing.tokens import Identity, issue, secret_in

T = TypeVar("T")


def _championship_path(args: argparse.Namespace) -> Path:
    """--championship, else PODIUM_CHAMPIONSHIP, else the demo as its organisers hold it."""
    env = Settings.from_env().championship
    chosen = env if env != Settings().championship else str(DEMO_CHAMPIONSHIP)
    path: Path = args.championship or Path(chosen)
    return path


def _secret(args: argparse.Namespace) -> str:
    """PODIUM_SECRET, else the data dir's own (made on first use)."""
    return checked_secret(Settings.from_env().secret or secret_in(args.data_dir))


def run_up(args: argparse.Namespace) -> int:
    from services.tools.stack import supervisor

    return supervisor.run(args, _championship_path(args), _secret(args))


def run_token(args: argparse.Namespace) -> int:
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


def run_cards(args: argparse.Namespace) -> int:
    import time

    from services.tools.cards import deck, page
    from services.tools.cards.words import WORDS

    championship = load(_championship_path(args))
    if args.lang not in WORDS:
        print(f"podium: --lang {args.lang}: one of {', '.join(WORDS)}", file=sys.stderr)
        return 2
    now = time.time()
    try:
        base = deck.base_of(args.base_url)
        valid = deck.window(args.valid_from, args.valid_until, deck.venue_zone(championship), now)
        people = deck.people_of(championship, args.skill)
        made = deck.cards_for(people, _secret(args), base, valid, now)
        deck.write_private(args.output, page.page(championship, made, valid, args.lang))
    except (deck.CardsError, OSError) as error:
        print(f"podium: {error}", file=sys.stderr)
        return 2
    pages = -(-len(made) // page.PER_PAGE)
    print(f"podium: {len(made)} cards on {pages} pages in {args.output}", file=sys.stderr)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
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


def run_service(args: argparse.Namespace) -> int:
    from services.tools.stack import runner

    settings = Settings.from_env()
    if args.service == "intake":
        checked_secret(settings.secret)
    runner.serve(args.service, settings)
    return 0


def run_demo(args: argparse.Namespace) -> int:
    import asyncio

    from services.tools.demo import experts
    from shared.plumbing import logs

    logs.configure("demo")
    championship = load(_championship_path(args))
    plan = experts.day_plan(championship, seed=args.seed)
    tablets = experts.Tablets(championship, _secret(args), args.intake)
    return asyncio.run(experts.play(plan, tablets, rate=args.rate, championship=championship))


def run_championship_check(args: argparse.Namespace) -> int:
    from services.tools.championship import summary

    try:
        championship = load(args.path)
    except ChampionshipError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary(championship), end="")
    return 0


def run_championship_export(args: argparse.Namespace) -> int:
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


def run_export_results(args: argparse.Namespace) -> int:
    from services.tools.log import export

    settings = Settings.from_env()
    job = export.export_results(settings, args.format, args.output, args.layout, args.public)
    return _exported(job)


def run_export_medals(args: argparse.Namespace) -> int:
    from services.tools.log import export

    return _exported(export.export_medals(Settings.from_env(), args.format, args.output))


def run_export_audit(args: argparse.Namespace) -> int:
    from services.tools.log import export

    return _exported(export.export_audit(Settings.from_env(), args.skill, args.output))


def run_export_judges(args: argparse.Namespace) -> int:
    from services.tools.log.judges import export_judges

    return _exported(export_judges(Settings.from_env(), args.skill, args.output))


def run_publish(args: argparse.Namespace) -> int:
    from services.tools.results.publish import publish

    championship = load(_championship_path(args))
    return _logged(publish(Settings.from_env(), championship, args.output), lambda done: done)


def run_certificates(args: argparse.Namespace) -> int:
    from services.tools.results.certificates import certify

    championship = load(_championship_path(args))
    job = certify(Settings.from_env(), championship, args.output, args.skill, args.lang)
    return _logged(job, lambda done: done)


def run_rebuild(args: argparse.Namespace) -> int:
    import asyncio

    from services.tools.log.rebuild import request_rebuild

    settings = Settings.from_env()
    skills = asyncio.run(request_rebuild(settings, load(Path(settings.championship))))
    print(f"podium: {skills} skills will be rebuilt from the log by ranking")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from services.tools.log.backup import Manifest, backup

    def done(manifest: Manifest) -> str:
        return (
            f"podium: {manifest.commands} commands (to seq {manifest.last_seq}) in {args.directory}"
        )

    return _logged(backup(Settings.from_env(), args.directory), done)


def run_restore(args: argparse.Namespace) -> int:
    from services.tools.log.backup import Manifest, restore

    def done(manifest: Manifest) -> str:
        return f"podium: {manifest.commands} commands restored; ranking rebuilds the standings"

    return _logged(restore(Settings.from_env(), args.directory), done)


def _exported(job: Coroutine[Any, Any, None]) -> int:
    return _logged(job, lambda _: "")


def _logged(job: Coroutine[Any, Any, T], done: Callable[[T], str]) -> int:
    """Run a command on the event log: its summary on success, one line and exit 2 if not."""
    import asyncio

    from services.tools.log.reader import LogError

    try:
        summary = done(asyncio.run(job))
    except LogError as error:
        print(f"podium: {error}", file=sys.stderr)
        return 2
    if summary:
        print(summary, file=sys.stderr)
    return 0
