"""Reading the pages' word tables (`const WORDS = {...}` in their i18n.js) as JS reads them:
the results site's reader, so the tests read the words as the site does."""

from __future__ import annotations

from services.tools.results.words import words_in

__all__ = ["words_in"]
