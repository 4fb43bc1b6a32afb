"""Look up any term the course uses, from data/glossary.yaml.

Why a lookup and not only a table: a learner stuck on one word mid-lesson wants that word's
meaning, with its source where it rests on one, without scrolling past fifty others.
"""

from __future__ import annotations

import ipywidgets as w

from hamfoot.widgets.common import FULL, WIDE, KeyboardSafeBox, esc


class GlossaryLookup(KeyboardSafeBox):
    """A term chooser (type to jump in the list) and its definition; `choose` and `out` for tests."""

    def __init__(self):
        from hamfoot import content

        self.terms = sorted(content.load().entries["glossary"], key=lambda t: t.term.lower())
        self.choose = w.Dropdown(
            options=[(t.term, t.id) for t in self.terms], description="Term", style=WIDE
        )
        self.out = w.HTML(layout=FULL)
        self.choose.observe(lambda _change: self.update(), names="value")
        super().__init__([self.choose, self.out])
        self.update()

    def update(self) -> None:
        from hamfoot import content

        term = next((t for t in self.terms if t.id == self.choose.value), None)
        if term is None:
            self.out.value = "<p>Choose a term to see what it means.</p>"
            return
        sources = "".join(f"<li>{esc(content.cite(r))}</li>" for r in term.references)
        self.out.value = f"<p><strong>{esc(term.term)}</strong>: {esc(term.definition)}</p>" + (
            f"<p>Source:</p><ul>{sources}</ul>" if sources else ""
        )


def glossary_lookup() -> GlossaryLookup:
    """Build the glossary lookup for the start lesson."""
    return GlossaryLookup()
