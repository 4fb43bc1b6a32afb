"""Lesson 01's interactive diagram: choose a structure to see where it runs and what it crosses;
tilt the pelvis to see which way a hamstring pull really turns it.

Why both controls on one drawing: the article's pelvic-tilt error is an anatomy error. Seeing the
ischial tuberosity sit behind and below the hip, and watching it move as the pelvis tilts, makes
the direction of the pull obvious; the text then says when that pull matters (hip-flexion tasks,
not relaxed standing).
"""

from __future__ import annotations

import ipywidgets as w

from hamfoot import anatomy
from hamfoot.plots.anatomy import TILT_LIMIT, ChainDiagram, tilt_words
from hamfoot.widgets.common import FULL, WIDE, KeyboardSafeBox, esc, note_html, slider_with_box

__all__ = [
    "PosteriorChainDiagram",
    "posterior_chain_diagram",
    "chain_link_evidence",
    "facts_html",
    "tilt_html",
]


def _citations(ids) -> str:
    from hamfoot import content

    items = "".join(f"<li>{esc(c)}</li>" for c in content.reference_list(ids))
    return f"<details><summary>References ({len(list(dict.fromkeys(ids)))})</summary><ol>{items}</ol></details>"


def facts_html(structure: anatomy.Structure) -> str:
    """The facts of one structure as a small two-column table, then its references."""
    rows = [
        ("Origin (starts at)", structure.origin),
        ("Insertion (ends at)", structure.insertion),
        ("Joints crossed", ", ".join(structure.joints) if structure.joints else "none"),
        ("One or two joints", anatomy.crossing(structure)),
        ("Role", structure.role),
        ("Why it matters here", structure.relevance),
    ]
    body = "".join(
        f'<tr><th scope="row" style="text-align:left;vertical-align:top;padding-right:1em">'
        f"{esc(k)}</th><td>{esc(v)}</td></tr>"
        for k, v in rows
        if v
    )
    return (
        f"<p style='margin:0.4em 0;font-size:1.1em'><strong>{esc(structure.name)} ({esc(structure.kind)})</strong></p>"
        f"<table>{body}</table>{_citations(structure.references)}"
    )


def tilt_html(tilt: float, show_claim: bool) -> str:
    """What the current tilt means, what a hamstring pull does and when; optionally the claim."""
    from hamfoot import content

    t = anatomy.pelvic_tilt()
    now = anatomy.tilt_statement(tilt)
    parts = [
        f"<p><strong>Pelvis now: {esc(tilt_words(tilt))}.</strong> {esc(now.text)}</p>",
        f"<p><strong>What a hamstring pull does:</strong> {esc(t.pull.text)}</p>",
        f"<p><strong>When it shows:</strong> {esc(t.when.text)}</p>",
    ]
    ids = [*now.references, *t.pull.references, *t.when.references]
    if show_claim:
        claim = content.get("claims", t.claim)
        parts.append(
            f"<p><strong>The article's claim</strong> (dashed arrow, pointing forward): "
            f"{esc(claim.statement)} <strong>Verdict: {esc(claim.verdict.replace('-', ' '))}.</strong> "
            f"{esc(claim.reason)}</p>"
        )
        ids += claim.references
    return "".join(parts) + _citations(ids)


class PosteriorChainDiagram(KeyboardSafeBox):
    """The diagram widget. `controls` holds the inputs; `figure`, `tilt_text` and `facts` the outputs."""

    def __init__(self, structure: str | None = None, tilt: float = 0.0, show_claim: bool = False):
        structures = anatomy.structures()
        start = anatomy.get(structure).id if structure else structures[0].id
        tilt = max(-TILT_LIMIT, min(TILT_LIMIT, float(tilt)))
        self.diagram = ChainDiagram(structures)
        self.structure = w.Dropdown(
            options=[(s.name, s.id) for s in structures],
            value=start,
            description="Structure to highlight",
            style=WIDE,
            layout=w.Layout(width="60%"),
        )
        self.tilt, self.tilt_box, tilt_row = slider_with_box(
            "Pelvic tilt (posterior ← 0 → anterior)", tilt, -TILT_LIMIT, TILT_LIMIT, 1.0, "°"
        )
        self.claim = w.Checkbox(
            value=bool(show_claim), description="Show the article's claim", indent=False, style=WIDE
        )
        self.controls = {
            "structure": self.structure,
            "tilt": self.tilt,
            "tilt_box": self.tilt_box,
            "claim": self.claim,
        }
        self.figure, self.tilt_text, self.facts = w.HTML(), w.HTML(layout=FULL), w.HTML(layout=FULL)
        self.out = self.figure
        self.structure.observe(self._on_structure, "value")
        for c in (self.tilt, self.claim):
            c.observe(self._on_tilt, "value")
        note = note_html(
            "How to read the drawing",
            "Schematic side view, person facing right. The "
            "chosen structure is a thick solid line from a circle (origin) to a square "
            "(insertion); the others are thin dotted grey lines. Proportions are rough.",
        )
        super().__init__(
            [
                self.structure,
                tilt_row,
                self.claim,
                w.HTML(note),
                self.figure,
                self.tilt_text,
                self.facts,
            ],
            layout=FULL,
        )
        self._redraw()
        self.facts.value = facts_html(anatomy.get(self.structure.value))
        self.tilt_text.value = tilt_html(self.tilt.value, self.claim.value)

    def _redraw(self) -> None:
        self.diagram.update(self.structure.value, self.tilt.value, self.claim.value)
        self.figure.value = self.diagram.html()

    def _on_structure(self, change=None) -> None:
        self._redraw()
        self.facts.value = facts_html(anatomy.get(self.structure.value))

    def _on_tilt(self, change=None) -> None:
        self._redraw()
        self.tilt_text.value = tilt_html(self.tilt.value, self.claim.value)


def posterior_chain_diagram(
    structure: str | None = None, tilt: float = 0.0, show_claim: bool = False
) -> PosteriorChainDiagram:
    """Lesson 01: highlight a structure and read its facts; tilt the pelvis; show the article's claim.

    The arguments only set the starting state (e.g. start on the ischial tuberosity for the tilt
    section); an unknown structure id is a ValueError listing the ids, a tilt is clamped.
    """
    return PosteriorChainDiagram(structure, tilt, show_claim)


def chain_link_evidence(mechanism_id: str):
    """One link of the chain from data/mechanisms.yaml as Markdown: claimed, known, how strong."""
    from IPython.display import Markdown

    from hamfoot import content
    from hamfoot.widgets.assessment import short_ref

    m = content.get("mechanisms", mechanism_id)
    flat = lambda text: " ".join(str(text).split())  # noqa: E731
    sources = "; ".join(short_ref(r) for r in m.references) + " (full list under References)"
    return Markdown(
        "\n\n".join(
            [
                f"**Link:** {flat(m.link)}",
                f"**What is claimed:** {flat(m.claimed)}",
                f"**What is known:** {flat(m.known)}",
                f"**Strength of evidence:** {m.evidence_level} (basis: {m.basis})",
                f"**Sources:** {sources}",
            ]
        )
    )
