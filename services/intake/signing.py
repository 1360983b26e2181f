"""Intake's side of the forms' sign-off: every skill's forms folded from the log as any intake
stores marks and form commands, and the refusal of a mark on a signed form.

One ordered consumer from the log's first command on, over marks and form commands only:
intake is ready once it has folded the log as it was at the start, and the same consumer
then goes on, so nothing falls between the reading and the following, and the fold sees the
commands in log order as every other intake and ranking do (docs/rules.md, "Sign-off").
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from nats.aio.msg import Msg
from nats.errors import Error as NatsError
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy

from services.intake.adapters import PUBLISH_TIMEOUT_S, LogUnavailableError
from services.intake.rules import Refusal
from shared import subjects
from shared.championship import Championship, Skill
from shared.events import FormCommand, MarkRecorded, command_decoder, encoder
from shared.plumbing.logstream import position
from shared.signoff.fold import Forms, SkillForms

log = logging.getLogger("podium.intake")

# How long a sign-off's answer waits for this intake to fold its own command.
FOLDED_WAIT_S = 2.0


class SignedForms:
    """Every skill's forms as the log has them, with the sequence folded last."""

    def __init__(self, championship: Championship) -> None:
        self.forms = Forms(championship.skills)
        self.folded = 0
        self.caught_up = asyncio.Event()
        self._moved = asyncio.Event()
        self._reader: Any = None
        self._js: JetStreamContext | None = None

    def of(self, skill: str) -> SkillForms:
        return self.forms.of(skill)

    def refusal(self, mark: MarkRecorded) -> Refusal | None:
        """A mark on a signed form is refused until the form is reopened; one it lets through
        that lands after the last signature voids them all (`shared.signoff.fold`)."""
        form = self.forms.of(mark.skill).closed(mark.aspect)
        if form is None:
            return None
        detail = (
            f"form {form.id} of {mark.skill} is signed: the skill's chief expert or an "
            "organizer reopens it, with a reason, before it takes marks again"
        )
        return Refusal(403, "Form signed", detail, "signed")

    def apply(self, seq: int, payload: bytes) -> None:
        self.forms.apply(seq, command_decoder.decode(payload))
        self.folded = max(self.folded, seq)
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()

    def unsigned_refusal(self, skill: Skill) -> Refusal | None:
        """`final` waits for every form to be signed, where the skill's rules say so."""
        unsigned = self.forms.of(skill.id).unsigned()
        if not skill.rules.final_needs_signoff or not unsigned:
            return None
        detail = f"{skill.id} is final once every form is signed; not signed: {', '.join(unsigned)}"
        return Refusal(409, "Forms not signed", detail, "unsigned_forms")

    async def reached(self, seq: int) -> bool:
        """Whether this intake folded the log up to `seq` within a short wait."""
        deadline = time.monotonic() + FOLDED_WAIT_S
        while self.folded < seq:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self._moved.wait(), left)
            except TimeoutError:
                return False
        return True

    async def follow(self, js: JetStreamContext) -> None:
        """Fold the log from its start and go on following it; returns once the log as it
        was at the start is folded."""
        began = time.perf_counter()
        self._js = js

        async def arrived(message: Msg) -> None:
            seq, pending = position(message.reply)
            self.apply(seq, message.data)
            if pending == 0:
                self.caught_up.set()

        self._reader = await js.subscribe(
            "",
            stream=subjects.COMMANDS_STREAM,
            cb=arrived,
            ordered_consumer=True,
            config=ConsumerConfig(
                deliver_policy=DeliverPolicy.ALL,
                filter_subjects=subjects.forms_filters(None),
                mem_storage=True,
            ),
            pending_msgs_limit=200_000,
            pending_bytes_limit=512 * 1024 * 1024,
        )
        try:
            info = await self._reader.consumer_info()
        except (NatsError, TimeoutError):
            # Asked again at start (`patiently`): this reader goes, the next one reads anew.
            await self._reader.unsubscribe()
            raise
        if not (info.num_pending or (info.delivered and info.delivered.consumer_seq)):
            self.caught_up.set()
        await self.caught_up.wait()
        log.info(
            "forms folded from the log",
            extra={"seq": self.folded, "seconds": round(time.perf_counter() - began, 3)},
        )

    async def append(self, command: FormCommand) -> int:
        """Store a sign-off or reopening; its place in the log decides what it does."""
        assert self._js is not None, "append before follow"
        try:
            ack = await self._js.publish(
                subjects.form(command.skill),
                encoder.encode(command),
                timeout=PUBLISH_TIMEOUT_S,
                stream=subjects.COMMANDS_STREAM,
                headers={"Nats-Msg-Id": command.id},
            )
        except (TimeoutError, NatsError, OSError) as error:
            raise LogUnavailableError(str(error) or type(error).__name__) from error
        return ack.seq

    async def stop(self) -> None:
        if self._reader is not None:
            await self._reader.unsubscribe()
