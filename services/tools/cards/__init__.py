"""`podium cards`: who gets a sign-in card and with which codes (`deck.py`), the printable
A4 page (`page.py`) and the cards' words in the members' languages (`words.py`)."""
