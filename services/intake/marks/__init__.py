"""Taking marks (docs/api.md, docs/rules.md): the busiest endpoints, hundreds a second.

- `handlers.py`: `POST /api/marks` and `POST /api/marks/batch`, judged by `rules.py` and
  stored once, and the answers they give (`Stored`, `BatchResults`); `GET /api/championship`.
- `batch.py`: a batch as JSON or CSV parsed without I/O, each bad line or item named.
- `grouping.py`: marks posted at the same moment stored in one atomic batch, one fsync.
- `fast_routes.py`: the marking endpoints straight to their handlers, past Starlette's router.
- `openapi.py`: these endpoints' part of the OpenAPI document.
"""
