"""broadcast: ranking's snapshots to the screens, live and through a read API.

The same rooms as every service:
- `app.py`: the composition root (routes, lifespan, the feed's path), wiring only.
- Domain, pure: `protocol.py` (channels, frames, what a screen may send).
- Adapters: `store.py` (snapshots in Redis), `feed.py` (the fan-out to screens),
  `connection.py` (uvicorn's WebSocket protocol, keeping less per screen), `signins.py` (the
  log's revoked sign-ins: a revoked token's jury feed is closed).
- Handlers: `handlers.py` (snapshots from ranking in, through nats-py; FastStream describes
  them for the AsyncAPI document), `api.py` (the read API),
  `feed_socket.py` (`WS /ws`: one screen's connection), `guard.py` (the feed's limits);
  `metrics.py` what they count.
- Pages: `pages.py` and `static/` (the display and the spectators' page).
"""
