"""Symptoms and red flags: what each listed symptom really points to, and when to hand over.

Why two widgets: the symptom explorer trains the habit of asking "what else could this be?";
the red-flag checklist trains the habit of asking "does this need a clinician, and how soon?".
Neither diagnoses: both say so, and every red flag points to a clinician.
"""

from __future__ import annotations

import ipywidgets as w

from hamfoot.plots.verdicts import verdict_label, verdict_meaning
from hamfoot.widgets.common import FULL, WIDE, KeyboardSafeBox, esc, note_html

FREQUENCY_WORDS = {"common": "Common", "less-common": "Less common"}
# Most urgent first; the words say what each level means in practice.
URGENCY_WORDS = {
    "emergency": "emergency — needs emergency care now",
    "urgent": "urgent — needs prompt assessment by a clinician",
    "routine": "routine referral — needs a planned, non-urgent assessment by a clinician",
}
URGENCY_RANK = {u: r for r, u in enumerate(URGENCY_WORDS)}
TEACHING_ONLY = (
    "This is teaching material, not a diagnosis. It shows what a clinician would think "
    "about; anyone with these findings should be assessed by a clinician."
)


def _refs_html(ids) -> str:
    from hamfoot import content

    ids = list(dict.fromkeys(ids or ()))
    if not ids:
        return ""
    return (
        "<p><strong>References</strong></p><ol>"
        + "".join(f"<li>{esc(content.cite(r))}</li>" for r in ids)
        + "</ol>"
    )


# ------------------------------------------------------------------ symptom explorer
def symptom_html(symptom, differentials: dict) -> str:
    """One symptom: the article's view, what it suggests instead, the differentials to raise, verdict."""
    s = symptom
    parts = [
        f"<p><strong>{esc(s.name)}</strong> (listed by the article as "
        f"{esc(FREQUENCY_WORDS.get(s.frequency, s.frequency).lower())})</p>",
        f"<p><strong>What the article says:</strong> {esc(s.article_says)}</p>",
        f"<p><strong>What it suggests instead:</strong> {esc(s.suggests)}</p>",
    ]
    found = [differentials[d] for d in s.differentials if d in differentials]
    if found:
        parts.append(
            "<p><strong>Differentials it should raise</strong></p><ul>"
            + "".join(
                f"<li><strong>{esc(d.name)}</strong> — {esc(d.features)}"
                + (f"<br/><em>How to tell it apart:</em> {esc(d.tests)}" if d.tests else "")
                + "</li>"
                for d in found
            )
            + "</ul>"
        )
    else:
        parts.append(
            "<p><strong>Differentials it should raise:</strong> none recorded for this symptom.</p>"
        )
    parts.append(
        f"<p><strong>Verdict: {esc(verdict_label(s.verdict))}</strong> — "
        f"{esc(verdict_meaning(s.verdict))}.</p><p><strong>Why:</strong> {esc(s.reason)}</p>"
    )
    refs = [*s.references, *(r for d in found for r in d.references)]
    return "".join(parts) + _refs_html(refs)


class SymptomExplorer(KeyboardSafeBox):
    """A Dropdown of the article's symptoms (common first, then less common) and their appraisal."""

    def __init__(self, symptoms: list, differentials: dict):
        order = list(FREQUENCY_WORDS)
        symptoms = sorted(
            symptoms, key=lambda s: order.index(s.frequency) if s.frequency in order else len(order)
        )
        self.symptoms = {s.id: s for s in symptoms}
        self.differentials = differentials
        self.choose = w.Dropdown(
            options=[
                (f"{FREQUENCY_WORDS.get(s.frequency, s.frequency)} · {s.name}", s.id)
                for s in symptoms
            ],
            value=symptoms[0].id if symptoms else None,
            description="Symptom the article lists",
            style=WIDE,
            layout=w.Layout(width="auto"),  # max width: the shared stylesheet (margins included)
        )
        self.out = w.HTML(layout=FULL)
        self.controls = {"symptom": self.choose}
        self.choose.observe(lambda change: self.show(change["new"]), names="value")
        super().__init__([self.choose, self.out])
        self.show(self.choose.value)

    def show(self, symptom_id: str | None) -> None:
        s = self.symptoms.get(symptom_id)
        self.out.value = (
            symptom_html(s, self.differentials)
            if s
            else note_html("No symptom chosen", "choose one of the article's symptoms above.")
        )


def symptom_explorer() -> SymptomExplorer:
    """Choose one of the article's symptoms: what it says, what it really points to, what else it could be."""
    from hamfoot import content

    symptoms = [content.get("symptoms", sid) for sid in content.symptoms()["id"]]
    differentials = {
        did: content.get("differentials", did) for did in content.differentials()["id"]
    }
    return SymptomExplorer(symptoms, differentials)


# ------------------------------------------------------------------ red-flag checklist
def flag_html(flag) -> str:
    """One ticked finding: what to suspect, how urgent in words, the action, its references."""
    return (
        f"<li><p><strong>{esc(flag.finding)}</strong></p><ul>"
        f"<li><strong>Suspect:</strong> {esc('; '.join(flag.suspect))}</li>"
        + (f"<li><strong>Why:</strong> {esc(flag.reason)}</li>" if flag.reason else "")
        + f"<li><strong>Urgency:</strong> {esc(URGENCY_WORDS.get(flag.urgency, flag.urgency))}</li>"
        f"<li><strong>Action:</strong> {esc(flag.action)}</li></ul>"
        + _refs_html(flag.references)
        + "</li>"
    )


def checklist_html(ticked: list) -> str:
    """The teaching-only statement, then the most urgent level, then each finding, most urgent first."""
    head = note_html("Teaching, not diagnosis", TEACHING_ONLY)
    if not ticked:
        return head + note_html(
            "Nothing ticked",
            "no finding is ticked yet. Tick any finding above to see "
            "what it should make you suspect and how urgently to hand over to a clinician.",
        )
    ranked = sorted(ticked, key=lambda f: URGENCY_RANK.get(f.urgency, len(URGENCY_RANK)))
    top = ranked[0].urgency
    n_top = sum(f.urgency == top for f in ranked)
    summary = (
        f"<p><strong>Most urgent: {esc(URGENCY_WORDS.get(top, top))}.</strong> "
        f"{len(ranked)} finding{'s' if len(ranked) != 1 else ''} ticked; "
        f"{n_top} at this level. Listed most urgent first.</p>"
    )
    return head + summary + "<ol>" + "".join(flag_html(f) for f in ranked) + "</ol>"


def article_list_html(article_flags: list) -> str:
    """The article's own see-a-doctor items, each with our verdict and reason."""
    if not article_flags:
        return note_html("The article's list", "no article items are recorded in the content.")
    return (
        "<p><strong>The article's see-a-doctor list, appraised</strong></p><ul>"
        + "".join(
            f"<li><strong>{esc(f.finding)}</strong> — verdict: {esc(verdict_label(f.verdict))}"
            + (f". {esc(f.reason)}" if f.reason else "")
            + f" <em>Urgency on the evidence:</em> {esc(URGENCY_WORDS.get(f.urgency, f.urgency))}.</li>"
            for f in article_flags
        )
        + "</ul>"
    )


class RedFlagChecklist(KeyboardSafeBox):
    """One Checkbox per evidence-based red flag; the output lists the ticked ones, most urgent first."""

    def __init__(self, flags: list, article_flags: list):
        self.flags = {f.id: f for f in flags}
        self.checkboxes = {
            f.id: w.Checkbox(
                value=False, description=f.finding, indent=False, style=WIDE, layout=FULL
            )
            for f in flags
        }
        self.show_article = w.Checkbox(
            value=False,
            indent=False,
            style=WIDE,
            description="Show the article's own see-a-doctor list, with verdicts",
        )
        self.out = w.HTML(layout=FULL)
        self.article_out = w.HTML(layout=FULL)
        self._article_html = article_list_html(article_flags)
        self.controls = {**self.checkboxes, "show_article": self.show_article}
        for box in self.checkboxes.values():
            box.observe(lambda _: self.update(), names="value")
        self.show_article.observe(lambda _: self.update_article(), names="value")
        label = w.HTML("<strong>Findings (tick any that are present)</strong>")
        super().__init__(
            [label, *self.checkboxes.values(), self.show_article, self.out, self.article_out]
        )
        self.update()
        self.update_article()

    def ticked(self) -> list:
        return [self.flags[fid] for fid, box in self.checkboxes.items() if box.value]

    def update(self) -> None:
        self.out.value = checklist_html(self.ticked())

    def update_article(self) -> None:
        self.article_out.value = self._article_html if self.show_article.value else ""


def red_flag_checklist() -> RedFlagChecklist:
    """Tick findings to see what to suspect, how urgent it is and what to do — always via a clinician."""
    from hamfoot import content

    def records(source: str) -> list:
        return [content.get("red_flags", fid) for fid in content.red_flags(source=source)["id"]]

    return RedFlagChecklist(records("evidence"), records("article"))
