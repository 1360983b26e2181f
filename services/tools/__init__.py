"""podium's command line and the operators' tools it runs. Tools use the services' shared
contracts; no service imports a tool.

- `cli.py`: the `podium` command's options; `commands.py`: what each command runs.
- `stack/`: `podium up` (`supervisor.py`), one service (`runner.py`), NATS and Redis beside
  them (`servers.py`).
- `log/`: what reads the event log and the stored standings: `podium export` (`export.py`,
  with the sheets' shapes in `sheets.py`), `podium backup`/`restore` (`backup.py`),
  `podium rebuild` (`rebuild.py`), `podium export judges` (`judges.py`), and the reader they
  share (`reader.py`).
- `results/`: after the championship, `podium publish` (the static results site) and
  `podium certificates`.
- `cards/`: `podium cards`: who gets a card (`deck.py`), the printable page (`page.py`), its
  words (`words.py`).
- `demo/`: `podium demo`, the simulated experts (`experts.py`); the demo's people and
  marking schemes (`people.py`, `schemes.py`, with `data/`), the experts' sign-off of each
  complete form (`signing.py`); `files.py` writes the demo's
  workbooks (`make demo-files`, developers only).
- `championship.py`: `podium championship check` and `export`; `asyncapi.py`: the AsyncAPI
  document (`make asyncapi`).
"""
