"""What the services agree on. shared/ imports no service.

The contracts:
- `events.py`: the log's commands and the snapshots, msgspec tagged unions; `subjects.py`
  their NATS subjects; `asyncapi_types.py` the messages as the AsyncAPI document shows them.
- The folds of the log that intake and ranking both apply, in log order: `control.py` (the
  jury's locks, visibility, reveal and statuses), `crew.py` (screens), `ceremony.py`,
  `revocations.py` (sign-ins revoked).
- `championship.py` (the model and its loader, JSON or self-contained TOML) with
  `championship_checks.py` and `schema_check.py` (every problem of a file, with its path).
- `snapshots.py` (the stored snapshots read back) and `marks_hash.py` (the marks hash in
  Redis, written by ranking, read by intake); `judges.py` (the chief's judgement analysis
  from the standing scores, docs/rules.md).

Beside them, in folders: `signoff/` (marking forms and the one fold of their sign-off),
`public/` (public names and the public championship, docs/privacy.md), `plumbing/`
(settings, connections, keys, HTTP, tokens, limits, logs, clock) and `organiser/` (the
organisers' workbooks and people lists, read by the `podium` command only).
"""
