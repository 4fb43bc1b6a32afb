"""Figures for the lessons, drawn with matplotlib's object API (no pyplot, no global state)."""
