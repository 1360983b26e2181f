"""A championship with planted hidden names, and what looks for them in what the public gets.

The demo championship with some competitors renamed to words found nowhere else, each one a
person whose name the public must never see (a minor without consent, an adult who said no, a
team of minors): their names, birth dates and the private fields' own names are searched for
in every public answer, frame and page (docs/privacy.md).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
import websockets.sync.client

from shared.championship import Championship, parse
from shared.plumbing.settings import DEMO_CHAMPIONSHIP_JSON
from shared.public.view import public_championship

STARTS = "2025-10-08"
# The first skill's first five competitors (by id), then the second skill's first.
FIRST_SKILL = (
    ("Zafira Hiddenova", "2009-04-17", None),  # a minor, no consent recorded
    ("Тайна Скрытова", "2001-02-13", False),  # an adult who said no
    ("Quillon Maskedson", "2008-11-29", None),  # 16 on the first day
    ("Ünal Gizlioğlu", "2010-03-05", False),  # a minor whose guardian said no
)
TEAM = ("Veiled Squad", ("Obscura Teamova", "Сокрытый Незримов"), "2009-07-21")
SECOND_SKILL = ("Xandra Unseenova", "2008-12-30", None)
# Field names that must not appear in anything public, whatever their value.
PRIVATE_FIELDS = ("birth_date", "consent")


@dataclass(frozen=True)
class Planted:
    championship: Championship
    path: Path
    # Every word of every hidden name, each birth date (two ways), the private fields' names.
    secrets: tuple[str, ...]
    # competitor id -> the full name the jury sees, and the public name everyone else does.
    full: dict[str, str]
    public: dict[str, str]


def planted(folder: Path) -> Planted:
    raw: dict[str, Any] = json.loads(DEMO_CHAMPIONSHIP_JSON.read_bytes())
    raw["starts"] = STARTS
    first, second = (s["id"] for s in raw["skills"][:2])
    people = sorted((c for c in raw["competitors"] if c["skill"] == first), key=lambda c: c["id"])
    for competitor, (name, born, consent) in zip(people, FIRST_SKILL, strict=False):
        competitor.update(name=name, birth_date=born, consent=consent)
    team_name, members, born = TEAM
    people[4].update(name=team_name, team=list(members), birth_date=born, consent=None)
    other = min((c for c in raw["competitors"] if c["skill"] == second), key=lambda c: c["id"])
    name, born, consent = SECOND_SKILL
    other.update(name=name, birth_date=born, consent=consent)
    path = folder / "planted.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    championship = parse(raw)
    hidden = [*people[:5], other]
    names = [c["name"] for c in hidden] + list(members)
    births = [c["birth_date"] for c in hidden]
    dotted = [".".join(reversed(b.split("-"))) for b in births]
    words = {w for n in names for w in n.split()}
    public = public_championship(championship).index.competitors
    return Planted(
        championship=championship,
        path=path,
        secrets=(*sorted(words), *births, *dotted, *PRIVATE_FIELDS),
        full={c["id"]: c["name"] for c in hidden},
        public={c["id"]: public[c["id"]].name for c in hidden},
    )


def leaks(found: dict[str, str], secrets: tuple[str, ...]) -> list[tuple[str, str]]:
    """(where, secret) for every secret in anything found, letters compared case-blind (a
    page may show names upper-cased)."""
    return [
        (where, secret)
        for where, text in found.items()
        for secret in secrets
        if secret.casefold() in text.casefold()
    ]


@dataclass
class FeedRecorder:
    """A screen without a token on every public channel, keeping every frame it gets."""

    url: str
    channels: list[str]
    frames: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    thread: threading.Thread | None = None

    def __enter__(self) -> FeedRecorder:
        ready = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(ready,), daemon=True)
        self.thread.start()
        assert ready.wait(10), "the feed did not open"
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        assert self.thread is not None
        self.thread.join(10)

    def _run(self, ready: threading.Event) -> None:
        with websockets.sync.client.connect(self.url) as ws:
            for channel in self.channels:
                ws.send(json.dumps({"op": "subscribe", "channel": channel}))
            ready.set()
            while not self.stop.is_set():
                try:
                    message = ws.recv(timeout=0.2)
                except TimeoutError:
                    continue
                self.frames.append(message if isinstance(message, str) else message.decode())

    def snapshots(self, channel: str) -> list[dict[str, Any]]:
        decoded = (json.loads(f) for f in list(self.frames))
        return [f for f in decoded if f.get("type") == "snapshot" and f["channel"] == channel]


def encoded(value: object) -> str:
    return msgspec.json.encode(value).decode()
