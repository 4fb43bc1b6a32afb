"""Helpers the unit tests share: what a learner sees of a piece of content in a widget's HTML.

Imported as ``from conftest import shown, words`` (pytest puts tests/ on the path for this file).
The browser suite keeps its own helpers in tests/browser/_helpers.py.
"""

from __future__ import annotations

import html
import re


def shown(text: str) -> str:
    """Content text as it appears once escaped into a widget's HTML."""
    return html.escape(text)


def words(markup: str) -> str:
    """Visible text of an HTML fragment (embedded images, tags dropped, entities decoded,
    spaces collapsed)."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
