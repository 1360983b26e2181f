"""The venue crew (docs/screens-and-ceremony.md): the hall's named screens and the closing
ceremony, organizers only; no skill's standings change with them.

- `desk.py`: the crew's state as this intake follows it in the log, where screens say they
  are, and who may run the hall.
- `screens.py`: `PUT /api/screens/{name}` and `GET /api/screens`.
- `ceremony.py`: the ceremony's script and its steps, Next and Back.
- `pages.py`: the crew's pages, `/screens` and `/ceremony`.
- `openapi.py`: these endpoints' and pages' part of the OpenAPI document.
"""
