"""After the championship: the static results site (`podium publish`) and the certificates
(`podium certificates`), from the standings ranking stored (docs/after-the-championship.md).

- `publish.py`: `podium publish`; `board.py` (final skills, public rows, `results.json`),
  `passport.py` (a competitor's criteria beside the skill's medians) and `site.py` (the
  pages, with `templates/`).
- `certificates.py`: `podium certificates`, typeset by typst with Noto Sans.
- `words.py`: the pages' words, read from the JavaScript pages' own tables.
- `output.py`: a folder written whole or not at all.
"""
