"""How a verdict is shown: a word, a symbol and a one-line meaning, and a chart of claims by verdict.

Why one place: the walkthrough, the symptom explorer and the chart must name a verdict the same
way, and always in words with a symbol, so nothing depends on telling colours apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hamfoot.plots.words import join_words
from hamfoot.schema import VERDICTS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from hamfoot.plots.style import Chart

# verdict -> (symbol, label, what it means). Order follows hamfoot.schema.VERDICTS.
VERDICT_WORDS: dict[str, tuple[str, str, str]] = {
    "supported": ("✔", "Supported", "good evidence backs it"),
    "plausible-but-weak": (
        "◐",
        "Plausible but weak",
        "it could be true, but the evidence is thin or only indirect",
    ),
    "contested": (
        "⇄",
        "Contested",
        "studies disagree, or an association exists without proof that one causes the other",
    ),
    "contradicted": ("✘", "Contradicted", "the evidence points the other way"),
    "unsupported": ("∅", "Unsupported", "no evidence for it was found"),
}


def verdict_label(verdict: str | None) -> str:
    """'✘ Contradicted' — symbol plus word; an unknown or missing verdict is said so in words."""
    if verdict not in VERDICT_WORDS:
        return "? No verdict recorded"
    symbol, label, _ = VERDICT_WORDS[verdict]
    return f"{symbol} {label}"


def verdict_meaning(verdict: str | None) -> str:
    """The one-line meaning of a verdict, for feedback and captions."""
    return VERDICT_WORDS[verdict][2] if verdict in VERDICT_WORDS else "no verdict has been recorded"


def counts_in_words(counts: dict[str, int]) -> str:
    """'3 plausible but weak and 2 contradicted; none supported or unsupported' (verdict order)."""
    some = [f"{n} {VERDICT_WORDS[v][1].lower()}" for v, n in counts.items() if n]
    none = [VERDICT_WORDS[v][1].lower() for v, n in counts.items() if not n]
    text = join_words(some, "and") if some else "no claims"
    return text + (f"; none {join_words(none, 'or')}" if none and some else "")


def claims_by_verdict(claims: pd.DataFrame | None = None, section: str | None = "causes") -> Chart:
    """Horizontal bar chart: how many of the article's claims earn each verdict.

    Each bar carries its own hatch and a direct count label, so the chart reads without colour.
    `claims` defaults to ``content.claims(section=section)``.
    """
    from hamfoot.plots.style import HATCHES, OKABE_ITO, Chart, new_figure

    if claims is None:
        from hamfoot import content

        claims = content.claims(section=section)
    counts = {v: int((claims["verdict"] == v).sum()) for v in VERDICTS}
    total = sum(counts.values())
    noun = "claim" if total == 1 else "claims"
    where = f"the article's {section.replace('-', ' ')} section" if section else "the article"

    colours = [
        OKABE_ITO[c] for c in ("bluish green", "sky blue", "orange", "vermillion", "reddish purple")
    ]
    fig, ax = new_figure(6.4, 2.8)
    labels = [VERDICT_WORDS[v][1] for v in VERDICTS]
    ys = list(range(len(VERDICTS)))[::-1]  # first verdict on top
    bars = ax.barh(ys, [counts[v] for v in VERDICTS], color=colours, edgecolor="black", height=0.6)
    for bar, hatch in zip(bars, HATCHES[1:] + HATCHES[:1]):
        bar.set_hatch(hatch)
    for y, v in zip(ys, VERDICTS):
        ax.text(counts[v] + 0.08, y, str(counts[v]), va="center", ha="left", fontweight="bold")
    ax.set_yticks(ys, labels)
    ax.set_xlim(0, max(counts.values(), default=0) + 1)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Number of claims")
    ax.set_title(f"Verdicts on the {total} {noun} in {where}")
    ax.grid(axis="y", visible=False)

    in_words = counts_in_words(counts)
    alt = (
        f"Horizontal bar chart of the {total} {noun} in {where} by verdict, each bar hatched "
        f"differently and labelled with its count: {in_words}."
    )
    summary = f"Of the {total} {noun} in {where}, {in_words}."
    return Chart(fig, alt, summary)
