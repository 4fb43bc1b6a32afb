"""Small helpers lessons call at their edges (course map, live summaries, reference lists), so
notebook cells stay one line long and every number comes from ``data/``."""

from __future__ import annotations

VERDICT_ORDER = ["supported", "plausible-but-weak", "contested", "contradicted", "unsupported"]


def course_map():
    """The table of contents as a linked Markdown table (the README shows the same file)."""
    from IPython.display import Markdown

    from hamfoot import content

    rows = ["| Lesson | Title | Time | What you will do |", "|---|---|---|---|"]
    rows += [
        f"| {r.number} | [{r.title}]({r.file}) | {r.minutes} min | {r.summary} |"
        for r in content.toc().itertuples()
    ]
    return Markdown("\n".join(rows))


def claims_by_verdict():
    """How many of the article's claims fall under each verdict, per article section."""
    import pandas as pd

    from hamfoot import content

    claims = content.claims()
    table = pd.crosstab(
        claims["section"],
        pd.Categorical(claims["verdict"], VERDICT_ORDER),
        margins=True,
        margins_name="all",
        dropna=False,
    )
    table.columns.name, table.index.name = "verdict", "article section"
    return table


def treatments_by_grade():
    """Treatments counted by guideline recommendation grade, with how that grade was checked."""
    import pandas as pd

    from hamfoot import content

    def label(ref_id: str, year: int) -> str:
        ref = content.get("references", ref_id)
        return f"{content.surname(ref.authors) or ref_id} {year}, {ref.journal or ''}".rstrip(", ")

    rows = [
        {
            "guideline": label(g["guideline"], g["year"]),
            "grade": g["grade"],
            "grade checked": g["verification"],
        }
        for grades in content.treatments()["grades"]
        for g in grades
    ]
    if not rows:
        return pd.DataFrame(columns=["guideline", "grade", "grade checked", "treatments"])
    frame = pd.DataFrame(rows)
    return (
        frame.groupby(["guideline", "grade", "grade checked"])
        .size()
        .rename("treatments")
        .reset_index()
    )


def content_counts():
    """How many entries each content file holds, and how its references were checked."""
    import pandas as pd

    from hamfoot import content

    numbers = content.summary()
    kinds = pd.Series(numbers["kinds"], name="entries").rename_axis("content file").to_frame()
    checks = (
        pd.Series(numbers["verification"], name="references").rename_axis("checked as").to_frame()
    )
    return kinds, checks


def markdown_table(frame, columns: dict[str, str]):
    """A DataFrame as a Markdown table with full-length cells (pandas cuts text at 50 characters).

    `columns` maps the frame's column names to the headings shown.
    """
    from IPython.display import Markdown

    def cell(value) -> str:
        return " ".join(str(value).split()).replace("|", "\\|")

    rows = ["| " + " | ".join(columns.values()) + " |", "|" + "---|" * len(columns)]
    rows += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for _, row in frame.iterrows()]
    return Markdown("\n".join(rows))


def other_claims():
    """Every claim the article makes outside its causes section, with verdict and reason, in the
    article's order, so no part of the article goes unexamined."""
    from hamfoot import content
    from hamfoot.plots.verdicts import verdict_label

    claims = content.claims()
    claims = claims[claims["section"] != "causes"].copy()
    claims["verdict"] = claims["verdict"].map(verdict_label)
    return markdown_table(
        claims,
        {
            "section": "Article section",
            "statement": "The article says",
            "verdict": "Verdict",
            "reason": "Why",
        },
    )


def references(ids: list[str]):
    """The formatted bibliography for a lesson, as Markdown (renders in Lab, reads as text)."""
    from IPython.display import Markdown

    from hamfoot import content

    return Markdown(
        "\n".join(f"{n}. {ref}" for n, ref in enumerate(content.reference_list(ids), 1))
    )
