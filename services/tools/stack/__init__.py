"""The stack on one machine: `podium up` (`supervisor.py`) starts NATS, Redis (`servers.py`)
and the three services, each through `runner.py` (uvicorn with podium's logging)."""
