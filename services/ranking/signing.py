"""The forms' sign-off, folded in memory from the log at ranking's start.

Only how many forms are signed reaches the standings; it is folded from the log (the only
source of truth) at every start rather than kept in Redis, so no mark's way through Redis
carries it. The consumer then goes on where Redis leaves off: a command it hands over that
was folded here already is passed over by its sequence (`SkillForms.apply`).
"""

from __future__ import annotations

import logging
import time

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from shared import subjects
from shared.events import command_decoder
from shared.plumbing.logstream import read_log
from shared.signoff.fold import Forms

log = logging.getLogger("podium.ranking")


async def load(js: JetStreamContext, forms: Forms, whole_log: bool) -> None:
    """Every mark and form command of `forms`' skills in the log, folded in order."""
    began = time.perf_counter()
    skills = None if whole_log else tuple(forms.skills)

    def take(message: Msg, seq: int, pending: int) -> None:
        forms.apply(seq, command_decoder.decode(message.data))

    try:
        read = await read_log(js, subjects.forms_filters(skills), take)
    except NotFoundError:
        read = 0  # no log yet: nothing signed
    log.info(
        "forms folded from the log",
        extra={"events": read, "seconds": round(time.perf_counter() - began, 3)},
    )
