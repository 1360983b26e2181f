"""ranking: the log's commands applied in order, exactly once; standings, medals and the
ticker published.

The same rooms as every service:
- `app.py`: the composition root (lifespan), wiring only.
- Domain, pure: `rules.py` (totals, ranks, scale), `medals.py`, `visibility.py` (what the
  public may see).
- Adapters: `store.py` (the projection in Redis), `replay.py` (the log folded into it),
  `recovery.py` (where to start), `publisher.py` (snapshots out to NATS), `signing.py` (the
  marking forms' sign-off folded from the log at start, for the standings' `forms` count).
- Handlers: `consumer.py` (the log in: the partition, its durable consumer, each message),
  `handlers.py` (a command applied, the snapshots it changed published).
"""
