"""Shared test set-up. Every test writes learner progress into its own temporary store, never into
the user's real data folder (hamfoot.progress saves by itself on every answer)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_progress_store(tmp_path, monkeypatch):
    monkeypatch.setenv("HAMFOOT_PROGRESS", str(tmp_path / "hamfoot-store" / "progress.json"))
    monkeypatch.delenv("HAMFOOT_CLASS_DIR", raising=False)
    monkeypatch.delenv("HAMFOOT_STUDENT", raising=False)
