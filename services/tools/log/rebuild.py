"""`podium rebuild`: replay the event log into Redis on purpose, with new epochs.

It forgets the skills' epochs, the mark by which ranking knows its state is whole, and asks
running rankings to restart; each finds its skills without an epoch and replays the log
(`services.ranking.recovery`). A ranking that is not running does the same when it next starts.
"""

from __future__ import annotations

import nats

from shared import subjects
from shared.championship import Championship
from shared.plumbing import keys
from shared.plumbing.connections import make_redis, nats_servers
from shared.plumbing.settings import Settings


async def request_rebuild(settings: Settings, championship: Championship) -> int:
    """Returns how many skills were marked for rebuilding."""
    redis = make_redis(settings)
    try:
        skills = [skill.id for skill in championship.skills]
        for skill in skills:
            await redis.delete(keys.epoch(skill))
    finally:
        await redis.aclose()
    connection = await nats.connect(nats_servers(settings.nats_url), connect_timeout=5)
    try:
        await connection.publish(subjects.REBUILD, b"")
        await connection.flush()
    finally:
        await connection.close()
    return len(skills)
