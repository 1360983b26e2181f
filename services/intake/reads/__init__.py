"""What the marking page and the jury's panel read (docs/api.md): signed in, never cached.

- `views.py`: `GET /api/me`, `GET /api/me/marks` (the marking sheet) and
  `GET /api/skills/{skill}/board` (the jury's board).
- `boards.py`: those answers shaped from ranking's projection and the jury's controls, pure.
- `roster.py`: `GET /api/competitors`, the person's competitors under their full names, each
  with the public name the screens show (docs/privacy.md).
- `judges.py`: `GET /api/skills/{skill}/judges`, the chief's judgement analysis
  (`shared/judges.py` computes it).
- `openapi.py`: these reads' and the pages' part of the OpenAPI document.
"""
