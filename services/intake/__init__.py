"""intake: the experts' HTTP API in front of the event log.

The same rooms as every service:
- `app.py`: the composition root (routes, lifespan), wiring only.
- Domain, pure: `rules.py` (the marking rules), `batch.py` (batches parsed), `boards.py`
  (the marking sheet and the jury's board shaped).
- Adapters: `adapters.py` (the event log in NATS), `projection.py` (ranking's projection in
  Redis, read only).
- Handlers, the HTTP endpoints: `handlers.py` (marks), `jury.py` (locks, visibility, reveal,
  audit), `views.py` (reads); `http.py` is what they share, `openapi.py` their document,
  `metrics.py` and `throttle.py` what they count and limit, `lanes.py` the marks' way to
  their handlers past Starlette's router.
- Pages: `pages.py` and `static/` (the marking page, the chief's panel).
"""
