"""The demo championship: the simulated experts of `podium demo` (`experts.py`), its people
(`people.py`) and marking schemes (`schemes.py`, the table in `../data/`), their sign-off of
each complete form (`signing.py`), and `files.py`,
which writes them as the organisers' own workbooks (`make demo-files`, for developers)."""
