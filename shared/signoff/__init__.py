"""The sign-off of marking forms (docs/rules.md, "Sign-off"): the forms of a skill, their
marks, digest and what they miss (`forms.py`), the `signoff` and `reopen` commands
(`commands.py`), and the one fold of marks, sign-offs and reopenings in log order that every
intake and ranking apply alike (`fold.py`)."""
