"""What the public may know of the people: a competitor's public name (`names.py`, the one
function that decides it) and the public championship built with those names from the start
(`view.py`), from which every public surface is made (docs/privacy.md)."""
