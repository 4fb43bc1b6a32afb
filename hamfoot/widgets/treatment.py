"""The treatment explorer: filter the options, then read the article's view beside the evidence.

Why filters first: asking "which options are graded A?" or "what did the article leave out?" and
seeing the list change teaches the shape of the evidence faster than reading entries one by one.
Every grade is shown with the guideline, the year and how we checked it, so an unverified grade is
never read as fact.
"""

from __future__ import annotations

import ipywidgets as w

from hamfoot.plots.treatment import (
    CATEGORY_WORDS,
    NO_GRADE,
    VERIFICATION_WORDS,
    author_year,
    grade_words,
)
from hamfoot.plots.verdicts import VERDICT_WORDS, verdict_label, verdict_meaning
from hamfoot.schema import CATEGORIES, GRADES, VERDICTS
from hamfoot.widgets.common import FULL, WIDE, KeyboardSafeBox, bullet_html, esc, note_html

ANY = "any"
TEACHING_ONLY = (
    "Teaching material, not treatment advice: a clinician chooses treatment with the "
    "patient, and red flags go to a clinician first."
)


def latest_grade(treatment):
    """The most recent guideline's grade (what the grade filter uses), or None."""
    return max(treatment.grades, key=lambda g: g.year) if treatment.grades else None


def matches(treatment, category: str = ANY, grade: str = ANY, verdict: str = ANY) -> bool:
    """True when the treatment passes every filter; 'any' lets everything through."""
    g = latest_grade(treatment)
    return (
        (category == ANY or treatment.category == category)
        and (grade == ANY or (g.grade if g else NO_GRADE) == grade)
        and (verdict == ANY or treatment.verdict == verdict)
    )


def grade_line(grade) -> str:
    """One grade as HTML: guideline, year, grade, and how it was checked, in words.

    The grade's strength word ("strong", ...) is left out on purpose: the scheme's definitions
    are themselves unverified (data/grading.yaml), and the lesson explains them as such.
    """
    _, label, meaning = VERIFICATION_WORDS.get(grade.verification, ("", "check unknown", ""))
    what = "not graded" if grade.grade == "not graded" else f"grade {grade.grade}"
    name = author_year(grade.guideline)
    when = "" if str(grade.year) in name else f" ({grade.year})"
    text = f"{esc(name)} guideline{when}: {what} — <em>{label}</em>: {meaning}"
    if grade.verification == "unverified":
        text = f"<strong>Unverified:</strong> {text}"
    return text


def treatment_html(t) -> str:
    """A treatment: the article's view beside the evidence, grades, cautions, verdict, references."""
    from hamfoot import content

    article = (
        esc(t.article_says)
        if t.article_says
        else "<em>The article does not mention this option.</em>"
    )
    columns = (
        '<div style="display:flex;flex-wrap:wrap;gap:1em">'
        '<div style="flex:1 1 18em;min-width:0"><h4>What the article says</h4>'
        f"<p>{article}</p></div>"
        '<div style="flex:1 1 18em;min-width:0"><h4>What the evidence says</h4>'
        f"<p>{esc(t.evidence)}</p></div></div>"
    )
    grades = (
        "<ul>"
        + "".join(f"<li>{grade_line(g)}</li>" for g in sorted(t.grades, key=lambda g: -g.year))
        + "</ul>"
        if t.grades
        else "<p>No guideline grade is recorded for this option.</p>"
    )
    cautions = f"<p><strong>Cautions</strong></p>{bullet_html(t.cautions)}" if t.cautions else ""
    refs = "".join(f"<li>{esc(content.cite(r))}</li>" for r in dict.fromkeys(t.references))
    return (
        f"<h3>{esc(t.name)}</h3>"
        f"<p><strong>Category:</strong> {esc(CATEGORY_WORDS.get(t.category, t.category))}. "
        f"<strong>Verdict: {esc(verdict_label(t.verdict))}</strong> — "
        f"{esc(verdict_meaning(t.verdict))}.</p>"
        + columns
        + f"<p><strong>Guideline grades</strong></p>{grades}{cautions}"
        + f"<p><strong>References</strong></p><ol>{refs}</ol>"
        + f"<p><small>{esc(TEACHING_ONLY)}</small></p>"
    )


def _filters_in_words(category: str, grade: str, verdict: str) -> str:
    parts = [
        f"category “{CATEGORY_WORDS.get(category, category)}”" if category != ANY else None,
        (f"latest grade “{grade}”" if grade != ANY else None),
        f"verdict “{VERDICT_WORDS[verdict][1]}”" if verdict in VERDICT_WORDS else None,
    ]
    parts = [p for p in parts if p]
    return " and ".join(parts) if parts else "no filter"


class TreatmentExplorer(KeyboardSafeBox):
    """Three filter Dropdowns ("any" by default), the matching list, a treatment Dropdown, details."""

    def __init__(self, treatments: list):
        self.treatments = treatments
        present = {(latest_grade(t).grade if latest_grade(t) else NO_GRADE) for t in treatments}
        grades = [g for g in (*GRADES, NO_GRADE) if g in present]
        self.category = w.Dropdown(
            options=[("any category", ANY)] + [(CATEGORY_WORDS[c], c) for c in CATEGORIES],
            value=ANY,
            description="Category",
            style=WIDE,
        )
        self.grade = w.Dropdown(
            options=[("any grade", ANY)]
            + [(g if g in (NO_GRADE, "not graded") else f"grade {g}", g) for g in grades],
            value=ANY,
            description="Latest guideline grade",
            style=WIDE,
        )
        self.verdict = w.Dropdown(
            options=[("any verdict", ANY)] + [(verdict_label(v), v) for v in VERDICTS],
            value=ANY,
            description="Verdict",
            style=WIDE,
        )
        self.choice = w.Dropdown(
            options=[],
            description="Treatment",
            style=WIDE,
            layout=w.Layout(width="auto"),  # max width: the shared stylesheet (margins included)
        )
        self.listing = w.HTML(layout=FULL)
        self.out = w.HTML(layout=FULL)
        self.controls = {
            "category": self.category,
            "grade": self.grade,
            "verdict": self.verdict,
            "treatment": self.choice,
        }
        for control in (self.category, self.grade, self.verdict):
            control.observe(lambda _: self.refilter(), names="value")
        self.choice.observe(lambda change: self.show(change["new"]), names="value")
        super().__init__(
            [
                w.HBox(
                    [self.category, self.grade, self.verdict], layout=w.Layout(flex_flow="row wrap")
                ),
                self.listing,
                self.choice,
                self.out,
            ]
        )
        self.refilter()

    @property
    def matching(self) -> list:
        return [
            t
            for t in self.treatments
            if matches(t, self.category.value, self.grade.value, self.verdict.value)
        ]

    def refilter(self) -> None:
        """Rebuild the list and the treatment choice; keep the chosen treatment if it still matches."""
        found = self.matching
        current = self.choice.value
        self.choice.options = [(t.name, t.id) for t in found]
        if not found:
            self.listing.value = note_html(
                "No treatment matches",
                f"nothing fits {_filters_in_words(self.category.value, self.grade.value, self.verdict.value)}. "
                "Set one of the filters back to “any” to widen the search.",
            )
            self.choice.disabled = True
            self.out.value = ""
            return
        self.choice.disabled = False
        self.listing.value = (
            f"<p><strong>{len(found)} of {len(self.treatments)} treatments match</strong> "
            f"({esc(_filters_in_words(self.category.value, self.grade.value, self.verdict.value))}). "
            "Choose one below to read it in full.</p><ul>"
            + "".join(
                f"<li>{esc(t.name)} — {esc(verdict_label(t.verdict))}; "
                + (
                    f"latest grade {esc(grade_words(latest_grade(t)))}"
                    if t.grades
                    else "no guideline grade recorded"
                )
                + "</li>"
                for t in found
            )
            + "</ul>"
        )
        ids = [t.id for t in found]
        self.choice.value = current if current in ids else ids[0]
        self.show(self.choice.value)

    def show(self, treatment_id: str | None) -> None:
        """Render the chosen treatment (nothing chosen: leave the no-match message alone)."""
        chosen = next((t for t in self.treatments if t.id == treatment_id), None)
        if chosen is not None:
            self.out.value = treatment_html(chosen)


def treatment_explorer() -> TreatmentExplorer:
    """Filter the treatment options by category, latest guideline grade and verdict; pick one to
    see the article's view beside the evidence, its checked grades, cautions and references."""
    from hamfoot import content

    return TreatmentExplorer([content.get("treatments", i) for i in content.treatments()["id"]])
