"""The article's causes on trial, one at a time: predict the verdict, then see the evidence.

Why predict first: committing to a verdict before reading the evidence makes the learner judge the
mechanism rather than nod along; the worded feedback then shows where their intuition was off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as w

from hamfoot.plots.verdicts import VERDICT_WORDS, verdict_label, verdict_meaning
from hamfoot.widgets.common import FULL, WIDE, KeyboardSafeBox, esc, feedback_html, note_html

SECTION = "causes"


@dataclass(frozen=True)
class Cause:
    """One cause as the walkthrough shows it: the claim, its mechanisms, its formatted references."""

    claim: object  # hamfoot.schema.Claim
    label: str  # short form of the claim, for the list of causes
    item: str | None  # the article map's label for the part of the article the claim comes from
    mechanisms: tuple  # hamfoot.schema.Mechanism records whose `claims` name this claim
    citations: tuple[str, ...]


def _article_positions(claim_ids: list[str]) -> tuple[dict[str, tuple[int, int]], dict[str, str]]:
    """Where each claim first appears in the article map, and the map's short label for it."""
    from hamfoot import content

    positions: dict[str, tuple[int, int]] = {}
    labels: dict[str, str] = {}
    wanted = set(claim_ids)
    for pos, item in enumerate(content.article_map().itertuples(index=False)):
        for k, target in enumerate(item.maps_to or ()):
            kind, _, cid = str(target).partition(":")
            if kind == "claims" and cid in wanted and cid not in positions:
                positions[cid] = (pos, k)
                labels[cid] = item.label
    return positions, labels


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def article_causes() -> list[Cause]:
    """The claims of the article's causes section, in the order the article makes them."""
    from hamfoot import content

    ids = list(content.claims(section=SECTION)["id"])
    positions, labels = _article_positions(ids)
    file_order = {cid: n for n, cid in enumerate(ids)}
    ids.sort(key=lambda cid: (*positions.get(cid, (math.inf, 0)), file_order[cid]))
    mechanisms = [content.get("mechanisms", mid) for mid in content.mechanisms()["id"]]
    causes = []
    for cid in ids:
        claim = content.get("claims", cid)
        linked = tuple(m for m in mechanisms if cid in (m.claims or ()))
        ref_ids = list(
            dict.fromkeys([*claim.references, *(r for m in linked for r in m.references)])
        )
        causes.append(
            Cause(
                claim,
                _short(claim.statement),
                labels.get(cid),
                linked,
                tuple(content.cite(r) for r in ref_ids),
            )
        )
    return causes


def claim_html(cause: Cause, number: int, total: int) -> str:
    """The claim as the article makes it (paraphrased), before any verdict."""
    where = f" — from the article's point “{esc(cause.item)}”" if cause.item else ""
    return (
        f"<p><strong>Claim {number} of {total}</strong>{where}</p>"
        f"<p><strong>The article claims:</strong> {esc(cause.claim.statement)}</p>"
    )


def evidence_html(cause: Cause) -> str:
    """Verdict in words, the reason, the mechanism claimed vs known, what would convince us, references."""
    c = cause.claim
    parts = [
        f"<p><strong>Verdict: {esc(verdict_label(c.verdict))}</strong> — {esc(verdict_meaning(c.verdict))}.</p>",
        f"<p><strong>Why:</strong> {esc(c.reason)}</p>",
    ]
    for m in cause.mechanisms:
        parts.append(
            f"<p><strong>Mechanism it relies on: {esc(m.link)}</strong> "
            f"(evidence: {esc(m.evidence_level)}; basis: {esc(m.basis)})</p>"
            f"<ul><li><strong>Claimed:</strong> {esc(m.claimed)}</li>"
            f"<li><strong>Known:</strong> {esc(m.known)}</li></ul>"
        )
    if not cause.mechanisms:
        parts.append(
            "<p><strong>Mechanism:</strong> no chain link in the content is tied to this claim.</p>"
        )
    believe = c.believe_if or "not recorded for this claim."
    parts.append(
        f"<p><strong>What would you need to see to believe it?</strong> {esc(believe)}</p>"
    )
    if cause.citations:
        parts.append(
            "<p><strong>References</strong></p><ol>"
            + "".join(f"<li>{esc(ref)}</li>" for ref in cause.citations)
            + "</ol>"
        )
    return "".join(parts)


def prediction_feedback(predicted: str, verdict: str) -> str:
    """Worded feedback on a predicted verdict."""
    if predicted == verdict:
        return feedback_html(
            True, f"the verdict is {verdict_label(verdict)}: {verdict_meaning(verdict)}."
        )
    return feedback_html(
        False,
        f"you predicted {verdict_label(predicted)}, but the verdict is "
        f"{verdict_label(verdict)}: {verdict_meaning(verdict)}. The reasons follow.",
    )


def verdicts_html(causes: list[Cause], revealed: set[int]) -> str:
    """Every claim's verdict at a glance, once each has been checked or revealed (shown earlier it
    would give the walkthrough's answers away)."""
    if len(revealed) < len(causes):
        return note_html(
            "Verdicts at a glance",
            f"a table of every claim's verdict appears here once you have checked or revealed "
            f"all {len(causes)} claims ({len(revealed)} done so far).",
        )
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{esc(c.claim.statement)}</td><td>{esc(verdict_label(c.claim.verdict))}</td></tr>"
        for i, c in enumerate(causes)
    )
    return (
        "<table><caption>Verdicts at a glance: every claim of the causes section</caption>"
        f"<tr><th>#</th><th>Claim</th><th>Verdict</th></tr>{rows}</table>"
    )


PROMPT = (
    "Predict the verdict with the choices above, then press “Check my prediction” "
    "(or “Reveal without predicting”)."
)


class CauseWalkthrough(KeyboardSafeBox):
    """Previous/Next and a Dropdown move between causes; a prediction is checked before the evidence shows."""

    def __init__(self, causes: list[Cause]):
        self.causes = causes
        self.predictions: dict[int, str] = {}
        self.revealed: set[int] = set()
        n = len(causes)
        self.choose = w.Dropdown(
            options=[(f"{i + 1}. {c.label}", i) for i, c in enumerate(causes)],
            value=0 if n else None,
            description="Claim",
            style=WIDE,
            layout=w.Layout(width="auto"),  # max width: the shared stylesheet (margins included)
        )
        self.previous = w.Button(description="◀ Previous claim", tooltip="Go to the previous claim")
        self.next = w.Button(description="Next claim ▶", tooltip="Go to the next claim")
        self.prediction = w.RadioButtons(
            options=[(verdict_label(v), v) for v in VERDICT_WORDS],
            value=None,
            description="Your prediction",
            style=WIDE,
        )
        self.check = w.Button(
            description="Check my prediction",
            button_style="primary",
            tooltip="Compare your prediction with the verdict and show the evidence",
        )
        self.reveal = w.Button(
            description="Reveal without predicting",
            tooltip="Show the verdict and the evidence without a prediction",
        )
        self.nav_note = w.HTML()
        self.claim_out = w.HTML(layout=FULL)
        self.out = w.HTML(layout=FULL)
        self.summary = w.HTML(layout=FULL)
        self.controls = {
            "claim": self.choose,
            "previous": self.previous,
            "next": self.next,
            "prediction": self.prediction,
            "check": self.check,
            "reveal": self.reveal,
        }

        self.choose.observe(lambda change: self.show(change["new"]), names="value")
        self.previous.on_click(lambda _: self.go(-1))
        self.next.on_click(lambda _: self.go(+1))
        self.check.on_click(lambda _: self.check_prediction())
        self.reveal.on_click(lambda _: self.reveal_verdict())
        super().__init__(
            [
                w.HBox([self.previous, self.choose, self.next]),
                self.nav_note,
                self.claim_out,
                self.prediction,
                w.HBox([self.check, self.reveal]),
                self.out,
                self.summary,
            ]
        )
        if n:
            self.show(0)
        else:
            self.claim_out.value = note_html(
                "No claims", "the content has no claims in the causes section."
            )
            for button in (self.previous, self.next, self.check, self.reveal):
                button.disabled = True

    @property
    def index(self) -> int:
        return self.choose.value or 0

    def go(self, step: int) -> None:
        """Move by `step` claims, clamped to the first and last; at an end, say so in words.

        The buttons stay enabled at the ends (a disabled button drops out of the Tab order, which
        leaves keyboard users wondering where it went)."""
        if not self.causes:
            return
        target = min(max(self.index + step, 0), len(self.causes) - 1)
        if target == self.index:
            end = "first" if step < 0 else "last"
            self.nav_note.value = f"<em>This is the {end} claim of the causes section.</em>"
        else:
            self.choose.value = target

    def show(self, i: int | None) -> None:
        """Render cause `i`: its claim, then the prompt or (once revealed) feedback and evidence."""
        if i is None or not self.causes:
            return
        i = min(max(int(i), 0), len(self.causes) - 1)
        self.nav_note.value = ""
        self.prediction.value = self.predictions.get(i)
        self.claim_out.value = claim_html(self.causes[i], i + 1, len(self.causes))
        self._render(i)

    def _render(self, i: int) -> None:
        cause = self.causes[i]
        self.summary.value = verdicts_html(self.causes, self.revealed)
        if i not in self.revealed:
            self.out.value = note_html("Your turn", PROMPT)
            return
        head = (
            prediction_feedback(self.predictions[i], cause.claim.verdict)
            if i in self.predictions
            else note_html("Revealed without a prediction", "try predicting on the next claim.")
        )
        self.out.value = head + evidence_html(cause)

    def check_prediction(self) -> None:
        """Score the chosen verdict; with none chosen, ask for one and reveal nothing."""
        if not self.causes:
            return
        i, predicted = self.index, self.prediction.value
        if predicted is None:
            self.out.value = note_html(
                "Choose a verdict first",
                "pick one of the five verdicts, then press “Check my prediction”.",
            )
            return
        self.predictions[i] = predicted
        self.revealed.add(i)
        self._render(i)

    def reveal_verdict(self) -> None:
        """Show the verdict and evidence without scoring (for live presenting)."""
        if self.causes:
            self.revealed.add(self.index)
            self._render(self.index)


def cause_walkthrough() -> CauseWalkthrough:
    """The article's causes one at a time: claim, your predicted verdict, then verdict, mechanism,
    reason, what would change our minds, and references."""
    return CauseWalkthrough(article_causes())
