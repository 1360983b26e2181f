"""What every service is built on, beside the contracts: settings read once from the
environment (`settings.py`), NATS and Redis connections (`connections.py`), the Redis keys
(`keys.py`), the log as a stream of commands (`logstream.py`), HTTP helpers and problem
answers (`web.py`), sign-in tokens (`tokens.py`), rate limits (`rate_limits.py`), logging
(`logs.py`) and the clock (`clock.py`)."""
