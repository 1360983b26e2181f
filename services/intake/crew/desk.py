"""The venue crew's desk on intake: the crew's state as this intake follows it in the log, where
named screens say they are, and who may run the hall (organizers)."""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated

import msgspec
from faststream.nats import NatsBroker
from nats.errors import Error as NatsError
from nats.js.errors import BucketNotFoundError, NoKeysError
from nats.js.kv import KeyValue
from starlette.requests import Request

from services.intake.http import Intake, Refused, authenticate
from services.intake.rules import Refusal
from shared.championship import Championship, Expert
from shared.crew import (
    PRESENCE_BUCKET,
    PRESENCE_STALE_S,
    Crew,
    Presence,
    presence_decoder,
)

log = logging.getLogger("podium.intake")

# Skills named in a body, each once (the OpenAPI document says so; `named_skills` refuses).
Skills = Annotated[tuple[str, ...], msgspec.Meta(extra_json_schema={"uniqueItems": True})]


@dataclass
class Desk:
    """Built once by the composition root; the endpoints find it as `app.state.desk`."""

    broker: NatsBroker
    crew: Crew = field(default_factory=Crew)
    _bucket: KeyValue | None = None

    async def presence(self) -> dict[str, Presence]:
        """Every named screen any broadcast replica has seen, by name; none before the first.

        Read at each call (a few dozen small entries) rather than followed, so every intake
        answers alike without keeping a watch of its own open."""
        try:
            bucket = await self._presence_bucket()
            names = await bucket.keys()
        except (BucketNotFoundError, NoKeysError):
            return {}
        except (NatsError, TimeoutError, OSError) as error:
            log.warning("screens' presence unreadable", extra={"error": str(error)})
            return {}
        found = {}
        for name in names:
            try:
                entry = await bucket.get(name)
            except (NatsError, TimeoutError):
                continue  # gone meanwhile
            if entry.value:
                found[name] = presence_decoder.decode(entry.value)
        return found

    async def _presence_bucket(self) -> KeyValue:
        if self._bucket is None:
            self._bucket = await self.broker.connection.jetstream().key_value(PRESENCE_BUCKET)
        return self._bucket


def desk_of(request: Request) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def organizer(request: Request, intake: Intake) -> Expert:
    """The signed-in organizer; anyone else is refused (403), whatever their role."""
    expert = authenticate(request, intake)
    if expert.role != "organizer":
        role = "a chief expert" if expert.role == "chief" else "an expert"
        detail = f"the hall's screens and the ceremony are run by organizers; {expert.id} is {role}"
        raise Refused.of(403, "Organizers only", detail, "not_organizer")
    return expert


def connected(presence: Presence, now: float | None = None) -> bool:
    """Connected as its replica last said, and that replica still alive to say it."""
    if not presence.connected:
        return False
    seen = datetime.fromisoformat(presence.seen.replace("Z", "+00:00")).timestamp()
    return (now if now is not None else time.time()) - seen <= PRESENCE_STALE_S


def command_id() -> str:
    """The crew's commands carry no client id; each gets its own, for Nats-Msg-Id and audit."""
    return "crew:" + secrets.token_hex(8)


def unknown_skill(path: str, skill: str) -> Refused:
    """A skill a body names that the championship lacks: 404, as a skill in a path."""
    detail = f"{path}: no skill {skill!r}"
    return Refused.by(Refusal(404, "Unknown skill", detail, "unknown_skill", path))


def named_skills(skills: Sequence[str], championship: Championship, where: str) -> None:
    """Every skill of a rotation or a script is the championship's and comes once."""
    for at, skill in enumerate(skills):
        path = f"skills[{at}]"
        if skill not in championship.index.skills:
            raise unknown_skill(path, skill)
        if skill in skills[:at]:
            detail = f"{path}: {skill} is already in the {where}"
            raise Refused.by(Refusal(422, "Invalid body", detail, "invalid_body", path))
