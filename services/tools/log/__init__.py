"""The commands that read the event log and the stored standings from outside the services:
`export.py` (`podium export`, its sheets' shapes in `sheets.py`), `backup.py` (`podium
backup` and `restore`), `rebuild.py` (`podium rebuild`), `judges.py` (`podium export
judges`), and `reader.py`, the connection and
whole-log read they share."""
