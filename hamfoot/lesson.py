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


#: Widgets and figures whose sources are not a content kind of their own: the chain model's
#: tables (gait/*.csv) and the anatomy file. Everything else a lesson shows is content, found
#: through toc.yaml's `shows`, the lesson's code cells, its quiz and its markdown.
_MODEL_CALLS = (
    "chain_explorer(",
    "gait_chart(",
    "tightness_chart(",
    "equivalence_table(",
    "downstream_table(",
    "model_assumptions(",
    "chain.walk(",
    "practice_slider(",
)
_ANATOMY_CALLS = ("posterior_chain_diagram(",)


def _notebook(file: str):
    """The lesson's notebook: beside the running kernel (a learner's copy), else the course's."""
    from pathlib import Path

    here = Path(__file__).resolve().parent
    for folder in (Path.cwd(), here / "lessons", here.parent / "notebooks"):
        if (folder / file).is_file():
            return folder / file
    return None


def _cells(file: str) -> tuple[str, str]:
    """(markdown text, code text) of a lesson notebook; empty when it cannot be found."""
    import json

    path = _notebook(file)
    if path is None:
        return "", ""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = {"markdown": [], "code": []}
    for c in cells:
        if c.get("cell_type") in text:
            text[c["cell_type"]].append("".join(c.get("source", "")))
    return "\n".join(text["markdown"]), "\n".join(text["code"])


def _sources(record) -> list[str]:
    """Reference ids anywhere inside a content record (references, reference, guideline ...)."""
    from pydantic import BaseModel

    from hamfoot import schema

    found: list[str] = []
    for _, node in schema.walk(record):
        for name in type(node).model_fields:
            kind = schema.ref_kind(type(node), name)
            value = getattr(node, name)
            if kind in ("references", "references;") and value:
                parts = value if isinstance(value, tuple) else str(value).split(";")
                found += [p.strip() for p in parts if not isinstance(p, BaseModel)]
    return found


def _mentioned(markdown: str) -> list[str]:
    """References a lesson's text cites in author-year form ('Harty 2005', 'van Leeuwen 2016',
    'Hawkins & Hull 1990'), found with the package's one author-year formatter."""
    import re

    from hamfoot import content

    found = []
    for r in content.load().entries["references"]:
        who = content.surname(r.authors)
        if not who or not r.year:
            continue
        pattern = rf"(?<![\w-]){re.escape(who)}(?![\w-])[^.;\d]{{0,40}}?\b{r.year}\b"
        match = re.search(pattern, markdown)
        if match:
            found.append((match.start(), r.id))
    return [i for _, i in sorted(found)]


def cited(lesson: str) -> list[str]:
    """Every reference lesson `lesson` ("08") cites, in order of first appearance: its text's
    author-year citations, the content it shows (toc.yaml `shows`, the entries its code cells
    name, the cases it plays), the chain model's and the diagram's sources where it uses them,
    and its quiz. Built from what the lesson contains, never typed by hand."""
    import re

    from hamfoot import content

    c = content.load()
    entry = c.get("toc", lesson)
    markdown, code = _cells(entry.file)
    ids: list[str] = _mentioned(markdown)
    shown: list = []
    for show in entry.shows:
        records = list(c.entries[show.kind])
        if show.where:
            column, _, values = show.where.partition("=")
            wanted = set(values.split(","))
            records = [r for r in records if str(getattr(r, column)) in wanted]
        shown += records
    for kind, names in re.findall(r"content\.(\w+)\([^)]*\)\.loc\[\s*\[?([^\]]+)\]", code):
        for name in re.findall(r"[\"']([^\"']+)[\"']", names):
            if kind in c.index and name in c.index[kind]:
                shown.append(c.index[kind][name])
    for name in re.findall(r"case_player\(\s*[\"']([^\"']+)[\"']", code):
        shown.append(c.get("cases", name))
    if re.search(r"\bquiz\(\s*lesson\s*=", code) or any(s.kind == "quiz" for s in entry.shows):
        shown += [q for q in c.entries["quiz"] if q.lesson == lesson or entry.number == "09"]
    if "treatments_by_grade(" in code:  # the guideline grades table of lesson 00
        shown += [g for t in c.entries["treatments"] for g in t.grades]
    for record in shown:
        ids += _sources(record)
    if any(call in code for call in _MODEL_CALLS):
        ids += [i for rows in (c.gait or {}).values() for r in rows for i in _sources(r)]
        ids += _gait_comment_references() + _named_in_code("hamfoot.chain", "hamfoot.plots.chain")
    if any(call in code for call in _ANATOMY_CALLS) and c.anatomy is not None:
        for structure in c.anatomy.structures:
            ids += _sources(structure)
        ids += _sources(c.anatomy.tilt)
    return list(dict.fromkeys(ids))


def _named_in_code(*modules: str) -> list[str]:
    """Reference ids the chain model and its figures name in their code (each result carries
    its sources, e.g. Agarwal-Harding 2010 for fast walking)."""
    import importlib
    import re
    from pathlib import Path

    from hamfoot import content

    known = set(content.load().index["references"])
    found = []
    for name in modules:
        module = importlib.import_module(name)
        paths = (
            sorted(Path(module.__file__).parent.glob("*.py"))
            if module.__file__.endswith("__init__.py")
            else [Path(module.__file__)]
        )
        for path in paths:
            found += [
                i for i in re.findall(r"[\"']([a-z0-9.-]+)[\"']", path.read_text()) if i in known
            ]
    return found


def _gait_comment_references() -> list[str]:
    """The '# references:' ids of every gait table (the chain model's sources)."""
    from hamfoot import schema
    from hamfoot.chain import _tables

    return [i for name in schema.GAIT_TABLES for i in _tables.load(name).references]


def references(lesson):
    """The formatted bibliography of a lesson (its number, e.g. "08": built from what it cites,
    see `cited`), or of a list of reference ids, as Markdown (renders in Lab, reads as text)."""
    from IPython.display import Markdown

    from hamfoot import content

    ids = cited(lesson) if isinstance(lesson, str) else list(lesson)
    return Markdown(
        "\n".join(f"{n}. {ref}" for n, ref in enumerate(content.reference_list(ids), 1))
    )
