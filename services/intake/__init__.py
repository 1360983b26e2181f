"""intake: the experts' HTTP API in front of the event log (docs/api.md).

The same rooms as every service, then one folder per family of endpoints:
- `app.py`: the composition root (routes, lifespan), wiring only.
- Domain, pure: `rules.py` (the marking rules and who may do what, docs/rules.md), `texts.py`
  (the reasons and messages people write, one pattern for the decoder and the document).
- Adapters: `adapters.py` (the event log in NATS, the jury's controls and the revoked sign-ins
  it holds), `signing.py` (every skill's marking forms folded from the log, and a mark on a
  signed form refused), `projection.py` (ranking's projection in Redis, read only),
  `sessions.py` (the tokens seen, in Redis).
- What the endpoints share: `http.py` (dependencies, sign-in, bodies, refusals), `metrics.py`
  and `throttle.py` (what they count and limit), `describe.py` and `openapi.py` (the pieces
  of the OpenAPI document, and the document assembled from each family's part).
- `marks/`: taking marks, one or a batch, on the hot path.
- `jury/`: the chief expert's and organizers' commands, the audit, sign-ins.
- `crew/`: the venue crew's named screens and closing ceremony.
- `reads/`: what the marking page and the jury's panel read.
- Pages: `pages.py` and `static/` (the marking page, the chief's panel; the crew's pages are
  in `crew/pages.py`).
"""
