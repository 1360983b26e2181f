"""The AsyncAPI document of podium's streams, subjects and messages, as FastStream sees them.

`python -m services.tools.asyncapi > docs/asyncapi.json` (`make asyncapi`); a test keeps it current.
"""

from __future__ import annotations

import json

from faststream.specification import AsyncAPI

from services.broadcast.app import build as broadcast
from services.intake.app import build as intake
from services.ranking.app import build as ranking
from shared.plumbing.settings import Settings


def document() -> str:
    settings = Settings()  # the defaults: the document describes names, not one deployment
    apps = [build(settings) for build in (intake, ranking, broadcast)]
    # Broadcast takes ranking's snapshots through nats-py; FastStream describes them still.
    brokers = [app.state.broker for app in apps] + [apps[-1].state.described]
    spec = AsyncAPI(
        *brokers,
        title="podium",
        version="0.1.0",
        description=(
            "Intake appends each accepted command to the PODIUM_COMMANDS stream; ranking "
            "applies them in order and publishes each skill's standings; broadcast fans the "
            "standings out to the screens."
        ),
    )
    return json.dumps(json.loads(spec.to_specification().to_json()), indent=2, sort_keys=True)


if __name__ == "__main__":
    print(document())
