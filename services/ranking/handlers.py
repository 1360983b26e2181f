"""Ranking's handlers: apply each command once, then publish the standings it changed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from services.ranking import medals
from services.ranking.folding import concerned, entry_of, standings_of
from services.ranking.store import Applied, RankingStore
from services.ranking.visibility import public_ticker, public_view
from shared import control
from shared.championship import Championship
from shared.events import (
    CeremonyScripted,
    CeremonyStepped,
    Command,
    ControlCommand,
    FormCommand,
    MarkRecorded,
    MedalsPublished,
    MedalTable,
    ScreenAssigned,
    SignInRevoked,
    Standings,
    StandingsPublished,
    StandingsRow,
    TickerItem,
    TickerPublished,
    VisibilityChanged,
    encoder,
)
from shared.plumbing.clock import iso_now
from shared.public.view import public_championship
from shared.signoff.commands import FormReopened, FormSigned
from shared.signoff.fold import Forms

log = logging.getLogger("podium.ranking")

# A snapshot and its JSON: encoded once, for Redis and for the wire alike.
Publish = Callable[[StandingsPublished | MedalsPublished | TickerPublished, bytes], Awaitable[None]]


class StateLostError(RuntimeError):
    """Redis lost a skill's state while ranking ran; only a replay of the log restores it."""


class Ranking:
    """Applies commands to the projection and publishes the standings of changed skills.

    Snapshots wait until the consumer has nothing pending, so a burst of marks (or a replay
    of the whole log) ends in one snapshot per skill instead of one per mark.
    """

    def __init__(self, championship: Championship, store: RankingStore, publish: Publish) -> None:
        self.championship = championship
        # Every public board and ticker takes its names from here (docs/privacy.md).
        self.public = public_championship(championship)
        self.store = store
        self.publish = publish
        # skill -> ids of the marks applied since its last snapshot
        self.dirty: dict[str, list[str]] = {}
        # Marks applied since the last flush, for the ticker.
        self.recent: list[TickerItem] = []
        # The consumer and the start-up flush both publish; one at a time keeps versions in order.
        self.lock = asyncio.Lock()
        # Each skill's snapshot as this process last stored it. The medal table and the ticker
        # are read off every skill's board after each flush: reading and decoding them all
        # from Redis cost most of ranking's time per mark. A skill this process does not
        # publish (another replica's) is read from Redis, as is everything at the start.
        self.boards: dict[str, StandingsPublished] = {}
        # The medal table as last stored, while every board is known here; None: read Redis.
        self.medals: MedalsPublished | None = None
        # The forms' sign-off, folded in memory from the log (`signing.load`) and as it comes.
        self.forms = Forms(championship.skills)

    async def handle(self, command: Command, seq: int, pending: int) -> None:
        async with self.lock:
            match command:
                case MarkRecorded():
                    await self.record_mark(command, seq)
                case SignInRevoked():
                    await self.record_untouched(command, seq)
                case FormSigned() | FormReopened():
                    self.forms.apply(seq, command)  # no mark moves; the signed count may
                    await self.record_untouched(command, seq)
                    self.touch([command.skill])
                case ScreenAssigned() | CeremonyScripted() | CeremonyStepped():
                    # The crew's: no standings change, but Redis is as far as this command.
                    await self.store.pass_over(seq)
                case _:
                    await self.record_control(command, seq)
            if pending == 0:
                await self._flush()

    async def record_mark(self, mark: MarkRecorded, seq: int) -> None:
        field, value = entry_of(self.championship, mark)
        applied = await self.store.apply(mark.skill, seq, field, value)
        self._check(applied, mark.skill)
        log.info(
            "mark applied" if applied is Applied.NOW else "mark already applied",
            extra={"mark": mark.id, "seq": seq, "skill": mark.skill},
        )
        self.forms.apply(seq, mark)
        # Even a redelivered mark re-publishes: the crash may have come before the snapshot.
        self.dirty.setdefault(mark.skill, []).append(mark.id)
        if applied is Applied.NOW:
            self.recent.append(self.ticker_item(mark, seq))

    def ticker_item(self, mark: MarkRecorded, seq: int) -> TickerItem:
        competitor = self.championship.index.competitors[mark.competitor]
        return TickerItem(
            seq=seq,
            skill=mark.skill,
            competitor=competitor.id,
            name=competitor.name,
            member=competitor.member,
            aspect=mark.aspect,
            at=mark.at,
            value=mark.value,
            withdrawn=mark.value is None,
        )

    async def record_control(self, command: ControlCommand, seq: int) -> None:
        state = control.apply(await self.store.control(command.skill), command)
        applied = await self.store.apply_control(
            command.skill, seq, state, await self.frozen_board(command, state)
        )
        self._check(applied, command.skill)
        log.info(
            "jury command applied",
            extra={"command": command.id, "seq": seq, "skill": command.skill},
        )
        self.dirty.setdefault(command.skill, [])

    async def record_untouched(self, command: SignInRevoked | FormCommand, seq: int) -> None:
        """A command that leaves the standings alone still moves its skills' applied sequence:
        what the consumer acked must never run ahead of what Redis holds, or a restart takes
        Redis for an older copy and rebuilds every skill."""
        for skill in concerned(command, self.championship.index.skills):
            self._check(await self.store.apply_nothing(skill, seq), skill)

    async def frozen_board(
        self, command: ControlCommand, state: control.Control
    ) -> tuple[StandingsRow, ...] | None:
        """The board the public keeps while frozen: taken at the freeze, kept until it ends."""
        if isinstance(command, VisibilityChanged) and command.mode == "frozen":
            marks = await self.store.marks(command.skill)
            return standings_of(self.championship, command.skill, marks, state).rows
        if state.visibility == "frozen":
            return await self.store.frozen(command.skill)
        return None

    async def flush(self) -> None:
        async with self.lock:
            await self._flush()

    async def _flush(self) -> None:
        if not self.dirty:
            return
        for skill in list(self.dirty):
            snapshot = await self.snapshot(skill, tuple(self.dirty[skill]))
            data = encoder.encode(snapshot)
            # Stored and published at once, rather than one round trip to Redis after the
            # other: the save is written to Redis before the snapshot leaves for NATS, so a
            # screen that reads the API after its frame finds it stored. A save that fails
            # fails the command, which is redelivered and published again.
            stored, _ = await asyncio.gather(
                self.store.save(skill, snapshot.standings.version, data),
                self.publish(snapshot, data),
            )
            if stored:
                self.boards[skill] = snapshot
            else:
                # A newer snapshot is stored (another ranking's): Redis knows the board.
                self.boards.pop(skill, None)
            log.info(
                "standings published",
                extra={
                    "skill": skill,
                    "version": snapshot.standings.version,
                    "marks": snapshot.marks,
                },
            )
            del self.dirty[skill]
        boards, medals_stored = await self.all_boards()
        await self.publish_medals_and_ticker(boards, medals_stored)

    async def all_boards(self) -> tuple[list[StandingsPublished], MedalsPublished | None]:
        """Every skill's latest board and the stored medal table: from memory once this
        process stored every skill's board, else what it lacks from Redis, in one round trip."""
        skills = [s.id for s in self.championship.skills]
        missing = [skill for skill in skills if skill not in self.boards]
        if not missing and self.medals is not None:
            return [self.boards[skill] for skill in skills], self.medals
        found, stored = await self.store.boards(missing)
        latest = {**{s.standings.skill: s for s in found}, **self.boards}
        return [latest[skill] for skill in skills if skill in latest], stored

    async def publish_medals_and_ticker(
        self, boards: list[StandingsPublished], medals_stored: MedalsPublished | None
    ) -> None:
        """The medal table if it changed, and the ticker if marks were applied: their
        versions in one round trip to Redis, their snapshots stored in another."""
        tables = self.medal_tables(boards, medals_stored)
        recent = self.recent
        # Whether every board is this process's own: then nobody else stores a medal table,
        # and the one stored now is what the next flush compares with, without reading Redis.
        own = len(self.boards) == len(self.championship.skills)
        self.medals = medals_stored if own else None
        if tables is None and not recent:
            return
        items, ticker_version, medals_version = await self.store.advance(
            recent, medals=tables is not None
        )
        self.recent = self.recent[len(recent) :]
        published: list[tuple[MedalsPublished | TickerPublished, bytes]] = []
        medals_now: MedalsPublished | None = None
        if tables is not None and medals_version is not None:
            jury, public = tables
            medals_now = MedalsPublished(
                version=medals_version, updated_at=iso_now(), medals=jury, public=public
            )
            published.append((medals_now, encoder.encode(medals_now)))
        if ticker_version is not None:
            # The latest marks, newest first; the public's leaves out what each skill hides.
            shown = {s.standings.skill: s.standings.visibility for s in boards}
            ticker = TickerPublished(
                version=ticker_version, items=items, public=public_ticker(items, shown, self.public)
            )
            published.append((ticker, encoder.encode(ticker)))
        latest = {type(snapshot): (snapshot.version, data) for snapshot, data in published}
        stored = await self.store.save_latest(
            medals=latest.get(MedalsPublished), ticker=latest.get(TickerPublished)
        )
        if medals_now is not None:
            # Not stored: a newer table is there, stored by another ranking; read it next time.
            self.medals = medals_now if own and stored == len(published) else None
        for snapshot, data in published:
            await self.publish(snapshot, data)

    def medal_tables(
        self, snapshots: list[StandingsPublished], stored: MedalsPublished | None
    ) -> tuple[MedalTable, MedalTable] | None:
        """The medal table (jury's, public's) over every skill's latest standings, this
        replica's and others'; None when it equals the stored one.

        Most marks move a board but no medal: a table equal to the stored one is not
        published again, so screens of the medal table get only real changes.
        """
        skills = [s.id for s in self.championship.skills]
        provisional = len(snapshots) < len(skills) or any(
            s.standings.provisional for s in snapshots
        )

        def table(view: Callable[[StandingsPublished], Standings | None]) -> MedalTable:
            rows = {s.standings.skill: v.rows for s in snapshots if (v := view(s)) is not None}
            return medals.medal_table(self.championship.members, rows, provisional=provisional)

        # A skill without a public view adds nothing to the public's table.
        jury, public = table(lambda s: s.standings), table(lambda s: s.public)
        if stored is not None and stored.medals == jury and stored.public == public:
            return None
        return jury, public

    @staticmethod
    def _check(applied: Applied, skill: str) -> None:
        if applied is Applied.STATE_LOST:
            raise StateLostError(f"the state of {skill} is gone from Redis")

    def touch(self, skills: list[str]) -> None:
        """Publish these skills at the next flush even if no mark changed them."""
        for skill in skills:
            self.dirty.setdefault(skill, [])

    async def snapshot(self, skill_id: str, marks: tuple[str, ...]) -> StandingsPublished:
        state = await self.store.state(skill_id)
        jury = state.control
        result = standings_of(self.championship, skill_id, state.marks, jury)
        standings = Standings(
            skill=skill_id,
            version=state.applied,
            epoch=state.epoch or "",
            visibility=jury.visibility,
            provisional=jury.visibility != "final",
            updated_at=iso_now(),
            progress=result.progress,
            rows=result.rows,
            pending=result.pending,
            disputed=result.disputed,
            locked=tuple(sorted(jury.locked)),
            revealed=jury.revealed,
            locked_sub_criteria=tuple(sorted(jury.locked_sub_criteria)),
            forms=self.forms.of(skill_id).count(),
        )
        public = public_view(standings, state.frozen, self.public)
        return StandingsPublished(standings=standings, marks=marks, public=public)
