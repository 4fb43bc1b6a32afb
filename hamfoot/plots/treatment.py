"""Treatment options at a glance: guideline grades (with how each grade was checked) and verdicts.

Why the checking is drawn as well as the grade: the 2023 grades reached us only through a secondary
summary and the 2014 grades only from memory, so a bar of "grade A" must never look as solid as a
grade someone has read in the guideline. Each checking level gets its own hatch AND its own words
in the bar label, so the distinction survives greyscale printing and screen readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from hamfoot.plots.verdicts import VERDICT_WORDS
from hamfoot.plots.words import join_words
from hamfoot.schema import GRADES, VERDICTS, VERIFICATIONS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from hamfoot.plots.style import Chart

# verification -> (hatch, short label for bars, what it means for the reader)
VERIFICATION_WORDS: dict[str, tuple[str, str, str]] = {
    "verified": ("", "verified", "checked by us against the guideline itself"),
    "secondary": (
        "//",
        "secondary source",
        "seen only through a secondary summary; check the guideline before relying on it",
    ),
    "unverified": (
        "xx",
        "unverified",
        "recalled, not checked against the guideline; do not treat it as fact",
    ),
}
CHECK_PHRASES = {
    "verified": "verified against the guideline",
    "secondary": "seen only through a secondary source",
    "unverified": "unverified",
}
_VERIFICATION_COLOURS = {"verified": "blue", "secondary": "sky blue", "unverified": "orange"}
NO_GRADE = "no grade recorded"
CATEGORY_WORDS = {
    "conventional": "conventional (in the article)",
    "alternative": "alternative (in the article)",
    "home": "home remedy (in the article)",
    "missing-from-article": "missing from the article",
}


def author_year(ref_id: str) -> str:
    """'Koc 2023' for a reference id: short enough for a panel title, traceable to the bibliography."""
    from hamfoot import content

    return content.author_year(ref_id)


def _field(item: Any, name: str):
    """Grades arrive as dataclasses (content.get) or dicts (DataFrame rows); read either."""
    return item[name] if isinstance(item, dict) else getattr(item, name)


def grade_entry(grades: Iterable, guideline: str):
    """This treatment's grade from one guideline (the first if listed twice), or None."""
    return next((g for g in grades or () if _field(g, "guideline") == guideline), None)


def grade_words(grade) -> str:
    """'A (2023, secondary source)' or 'not graded (2014, unverified)' — the check is always named."""
    if grade is None:
        return NO_GRADE
    label = VERIFICATION_WORDS.get(_field(grade, "verification"), ("", "check unknown", ""))[1]
    return f"{_field(grade, 'grade')} ({_field(grade, 'year')}, {label})"


def guidelines(treatments: pd.DataFrame) -> list[tuple[str, int]]:
    """(guideline id, year) pairs graded anywhere in the table, newest first."""
    seen = {
        (_field(g, "guideline"), int(_field(g, "year")))
        for gs in treatments["grades"]
        for g in gs or ()
    }
    return sorted(seen, key=lambda gy: (-gy[1], gy[0]))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def grades_table(category: str | list[str] | None = None) -> pd.DataFrame:
    """The treatments with each guideline's grade and how it was checked, and the verdict in words.

    A table view of the data the grade chart counts, for lessons (one row per treatment).
    """
    import pandas as pd

    from hamfoot import content
    from hamfoot.plots.verdicts import verdict_label

    frame = content.treatments(category=category)
    columns = {f"{author_year(g)} grade": g for g, _ in guidelines(content.treatments())}
    rows = [
        {
            "treatment": row.name,
            "category": CATEGORY_WORDS.get(row.category, row.category),
            **{col: grade_words(grade_entry(row.grades, g)) for col, g in columns.items()},
            "verdict": verdict_label(row.verdict),
        }
        for row in frame.itertuples()
    ]
    return pd.DataFrame(
        rows, index=list(frame["id"]), columns=["treatment", "category", *columns, "verdict"]
    )


def grades_view(category: str | list[str] | None = None, ids: list[str] | None = None):
    """`grades_table` as a lesson shows it: treatments by name, the content ids left out (a
    learner reads names, never ids); `ids` picks and orders rows."""
    table = grades_table(category)
    if ids is not None:
        table = table.loc[ids]
    return table.style.hide(axis="index")


def _grade_counts(treatments: pd.DataFrame, guideline: str) -> dict[str, dict[str, int]]:
    """grade -> verification -> number of treatments, for one guideline ('no grade recorded' too)."""
    counts: dict[str, dict[str, int]] = {}
    for gs in treatments["grades"]:
        g = grade_entry(gs, guideline)
        key, check = (
            (NO_GRADE, "none") if g is None else (_field(g, "grade"), _field(g, "verification"))
        )
        counts.setdefault(key, {}).setdefault(check, 0)
        counts[key][check] += 1
    return counts


def _check_phrase(counts: dict[str, dict[str, int]]) -> str:
    """'grades seen only through a secondary source', or a mix in numbers, for one guideline."""
    checks = {
        c: sum(v.get(c, 0) for k, v in counts.items() if k != NO_GRADE) for c in VERIFICATIONS
    }
    kinds = [c for c in VERIFICATIONS if checks[c]]
    if len(kinds) == 1:
        return f"grades {CHECK_PHRASES[kinds[0]]}"
    n = sum(checks.values())
    return (
        join_words([f"{checks[c]} of {n} grades {CHECK_PHRASES[c]}" for c in kinds]) or "no grades"
    )


def _grade_sentence(name: str, counts: dict[str, dict[str, int]], order: list[str]) -> str:
    """'Koc 2023 guideline (grades ...): 5 graded A and 2 graded B; 15 with no grade recorded'."""
    graded = {k: sum(v.values()) for k, v in counts.items() if k != NO_GRADE}
    parts = [
        f"{graded[k]} graded {k}" if k != "not graded" else f"{graded[k]} explicitly not graded"
        for k in order
        if graded.get(k)
    ]
    text = f"{name} ({_check_phrase(counts)}): {join_words(parts) or 'no treatment graded'}"
    ungraded = sum(counts.get(NO_GRADE, {}).values())
    return text + (f"; {ungraded} with no grade recorded" if ungraded else "")


def _draw_grades(treatments: pd.DataFrame) -> tuple[Any, str, str]:
    """One panel per guideline: stacked in JupyterLab, side by side on the projector.

    Why a projector layout of its own: twelve rows of 15 pt labels do not fit above one another in
    a slide's 3.4 inches, so there the panels stand side by side, each bar carries its count only,
    and one key above the panels names the checking level of each hatch (still in words).
    """
    from hamfoot.plots import projector
    from hamfoot.plots.style import OKABE_ITO, new_figure

    big = projector.active()
    pairs = guidelines(treatments)
    total = len(treatments)
    panels = pairs or [("none", 0)]
    counts = [_grade_counts(treatments, g) for g, _ in panels]
    order = [g for g in (*GRADES, NO_GRADE) if any(g in c for c in counts)]
    if big:
        fig, axes = new_figure(6.5, 3.4, nrows=1, ncols=len(panels))
    else:
        fig, axes = new_figure(
            6.8, 0.6 + (0.3 * len(order) + 0.6) * len(panels), nrows=len(panels), ncols=1
        )
    axes = list(axes) if len(panels) > 1 else [axes]
    names = [f"{author_year(g)} guideline" if g != "none" else "No guideline" for g, _ in panels]
    ys = list(range(len(order)))[::-1]
    xmax = max([sum(v.values()) for c in counts for v in c.values()], default=0)
    shown_checks: dict[str, Any] = {}  # the projector's key: checking level -> one of its bars
    for i, (ax, name, c) in enumerate(zip(axes, names, counts)):
        for y, key in zip(ys, order):
            left, labels = 0, []
            for check in (*VERIFICATIONS, "none"):
                n = c.get(key, {}).get(check, 0)
                if not n:
                    continue
                hatch, word, _ = VERIFICATION_WORDS.get(check, ("", "", ""))
                colour = (
                    OKABE_ITO[_VERIFICATION_COLOURS[check]]
                    if check in _VERIFICATION_COLOURS
                    else "white"
                )
                bar = ax.barh(
                    y, n, left=left, height=0.6, color=colour, hatch=hatch, edgecolor="black"
                )
                if word:
                    shown_checks.setdefault(word, bar)
                left += n
                labels.append(f"{n} ({word})" if word and not big else str(n))
            ax.text(left + 0.15, y, " + ".join(labels) or "0", va="center", ha="left", fontsize=9)
        ticks = [k if k in (NO_GRADE, "not graded") else f"grade {k}" for k in order]
        ax.set_yticks(ys, ticks if i == 0 or not big else [])
        ax.set_xlim(0, xmax + (3 if big else 5.5))
        ax.xaxis.get_major_locator().set_params(integer=True)
        title = name.removesuffix(" guideline") if big else f"{name}: {_check_phrase(c)}"
        ax.set_title(title, loc="left", fontsize=10)
        ax.grid(axis="y", visible=False)
    if big:  # the title heads the key (a suptitle and a key above the panels would overlap)
        fig.supxlabel("Number of treatments", fontsize=10)
        fig.legend(
            list(shown_checks.values()),
            list(shown_checks),
            loc="outside upper center",
            ncols=len(shown_checks),
            frameon=False,
            title=(
                f"Guideline grades of the {total} treatment options,\n"
                "hatched by how each grade was checked"
            ),
            title_fontsize=10,
        )
    else:
        axes[-1].set_xlabel("Number of treatments")
        fig.suptitle(
            f"Guideline grades of the {total} treatment options, with how each grade was checked",
            fontsize=10,
        )

    sentences = [_grade_sentence(n, c, order) for n, c in zip(names, counts)]
    summary = f"Grades of {_plural(total, 'treatment option')}. " + ". ".join(sentences) + "."
    labels = (
        "each bar is labelled with its count, and a key above the panels names the checking "
        "level of each hatch"
        if big
        else "each bar is labelled with its count and the checking level in words"
    )
    alt = (
        f"Horizontal bar chart in {len(panels)} panel{'s' * (len(panels) != 1)}, one per guideline, "
        f"counting treatments by grade. Bars are hatched by how the grade was checked: plain for "
        f"verified, diagonal lines for a secondary source, crosses for unverified; {labels}. "
        + summary
    )
    return fig, alt, summary


def _draw_verdicts(treatments: pd.DataFrame) -> tuple[Any, str, str]:
    """On the projector: taller, the axis longer so each bar's worded count fits beside it, and
    the key under the axes (inside them it covered the labels)."""
    from hamfoot.plots import projector
    from hamfoot.plots.style import OKABE_ITO, new_figure

    big = projector.active()
    groups = {
        "in the article": treatments[treatments["category"] != "missing-from-article"],
        "left out by the article": treatments[treatments["category"] == "missing-from-article"],
    }
    style = {
        "in the article": ("..", OKABE_ITO["vermillion"]),
        "left out by the article": ("//", OKABE_ITO["bluish green"]),
    }
    counts = {
        grp: {v: int((df["verdict"] == v).sum()) for v in VERDICTS} for grp, df in groups.items()
    }
    fig, ax = new_figure(6.8, 3.4 if big else 3.0)
    ys = list(range(len(VERDICTS)))[::-1]
    for y, v in zip(ys, VERDICTS):
        left, labels = 0, []
        for grp in groups:
            n = counts[grp][v]
            if n:
                hatch, colour = style[grp]
                ax.barh(
                    y,
                    n,
                    left=left,
                    height=0.6,
                    color=colour,
                    hatch=hatch,
                    edgecolor="black",
                    label=grp if grp not in ax.get_legend_handles_labels()[1] else None,
                )
                left += n
                labels.append(f"{n} in article" if grp == "in the article" else f"{n} left out")
        ax.text(left + 0.15, y, " + ".join(labels) or "0", va="center", ha="left", fontsize=9)
    ax.set_yticks(ys, [f"{VERDICT_WORDS[v][0]} {VERDICT_WORDS[v][1]}" for v in VERDICTS])
    xmax = max((sum(counts[g][v] for g in groups) for v in VERDICTS), default=0)
    ax.set_xlim(0, 2.5 * xmax + 1 if big else xmax + 4.5)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("Number of treatments")
    ax.set_title(
        "Verdicts on the treatment options: those in the article and those it left out", fontsize=10
    )
    ax.grid(axis="y", visible=False)
    if len(treatments) and big:
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
    elif len(treatments):
        ax.legend(loc="lower right", title="Hatch")

    def words(grp: str) -> str:
        n = len(groups[grp])
        some = [
            f"{counts[grp][v]} {VERDICT_WORDS[v][1].lower()}" for v in VERDICTS if counts[grp][v]
        ]
        what = "the article lists" if grp == "in the article" else "the article leaves out"
        return f"of the {_plural(n, 'option')} {what}, {join_words(some) or 'none'}"

    summary = "; ".join(words(g) for g in groups)
    summary = summary[0].upper() + summary[1:] + "."
    alt = (
        "Horizontal bar chart of treatment options by verdict, each bar split into options the "
        "article lists (dotted hatch) and options it leaves out (diagonal hatch), labelled with "
        "the counts in words. " + summary
    )
    return fig, alt, summary


def grade_chart(
    by: Literal["grade", "verdict"] = "grade", treatments: pd.DataFrame | None = None
) -> Chart:
    """Treatments counted by guideline grade (one panel per guideline, newest first) or by verdict.

    `treatments` defaults to ``content.treatments()``; alt text and summary are computed from it.
    """
    from hamfoot.plots.style import Chart

    if by not in ("grade", "verdict"):
        raise ValueError(f"grade_chart: by must be 'grade' or 'verdict', not {by!r}")
    if treatments is None:
        from hamfoot import content

        treatments = content.treatments()
    fig, alt, summary = (_draw_grades if by == "grade" else _draw_verdicts)(treatments)
    return Chart(fig, alt, summary)
