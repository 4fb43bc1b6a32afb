"""Lists in running prose, for captions and "In words:" summaries.

Why its own module: every figure's summary joins items the same way ("a, b and c"), so a screen
reader and a printed handout read the same sentence whichever plot wrote it.
"""

from __future__ import annotations

from collections.abc import Sequence


def join_words(items: Sequence[str], word: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' ('or' with word="or"); '' for no items."""
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {word} " + items[-1]
