"""Shared test set-up and helpers.

Every test writes learner progress into its own temporary store, never into the user's real data
folder (hamfoot.progress saves by itself on every answer). The helpers say what a learner sees of
a piece of content in a widget's HTML; import them as ``from conftest import shown, words``
(pytest puts tests/ on the path for this file). The browser suite keeps its own helpers in
tests/browser/_helpers.py.
"""

from __future__ import annotations

import html
import re
from contextlib import contextmanager

import pytest


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(tmp_path / "hamfoot-store" / "progress.json"))
    monkeypatch.delenv("HAMFOOT_CLASS_DIR", raising=False)
    monkeypatch.delenv("HAMFOOT_STUDENT", raising=False)


def shown(text: str) -> str:
    """Content text as it appears once escaped into a widget's HTML."""
    return html.escape(text)


def words(markup: str) -> str:
    """Visible text of an HTML fragment (embedded images, tags dropped, entities decoded,
    spaces collapsed)."""
    text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@contextmanager
def projecting():
    """`hamfoot present`'s projector mode (hamfoot.plots.projector) for a block, always undone."""
    from hamfoot.plots import projector

    projector.use()
    try:
        yield
    finally:
        projector.undo()
