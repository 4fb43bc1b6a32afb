"""Load, validate and serve the course content in data/ (YAML and CSV).

Why one loader: lessons and widgets must never show a claim whose citation does not resolve, so
everything is checked together, once per session (cached), and any problem stops the load with a
`ContentError` that lists every problem by file, entry and field. Accessors return fresh pandas
DataFrames (pandas is imported only when one is asked for), so callers may sort and mutate freely.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin

import yaml

from . import schema as s
from .schema import ContentError

__all__ = [
    "ContentError",
    "Content",
    "load",
    "get",
    "cite",
    "bibtex",
    "reference_list",
    "summary",
    "claims",
    "mechanisms",
    "differentials",
    "symptoms",
    "red_flags",
    "treatments",
    "recovery",
    "cohort",
    "assessments",
    "references",
    "glossary",
    "quiz",
    "cases",
    "article_map",
    "toc",
    "grading",
]

FILES: dict[str, tuple[str, type]] = {  # kind -> (file name, record class)
    "references": ("references.yaml", s.Reference),
    "claims": ("claims.yaml", s.Claim),
    "mechanisms": ("mechanisms.yaml", s.Mechanism),
    "differentials": ("differentials.yaml", s.Differential),
    "symptoms": ("symptoms.yaml", s.Symptom),
    "red_flags": ("red_flags.yaml", s.RedFlag),
    "treatments": ("treatments.yaml", s.Treatment),
    "recovery": ("recovery.yaml", s.RecoveryPhase),
    "assessments": ("assessments.yaml", s.Assessment),
    "glossary": ("glossary.yaml", s.GlossaryTerm),
    "quiz": ("quiz.yaml", s.QuizQuestion),
    "cases": ("cases.yaml", s.Case),
    "article_map": ("article_map.yaml", s.ArticleItem),
    "toc": ("toc.yaml", s.Lesson),
    "cohort": ("cohort_hansen2018.csv", s.CohortPoint),
    "grading": ("grading.yaml", s.Grading),
}
KEYS = {kind: "id" for kind in FILES} | {"toc": "number", "cohort": None, "grading": None}
_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe_load's loader, in C when available
_ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")


@dataclass(frozen=True)
class Content:
    """All content, validated: `entries[kind]` in file order, `index[kind][id]` for look-ups."""

    source: str
    entries: Mapping[str, tuple]
    index: Mapping[str, Mapping[str, Any]]
    grading: s.Grading

    def get(self, kind: str, id: str):
        if kind not in self.index:
            raise ValueError(f"unknown kind {kind!r}; choose from {', '.join(self.index)}")
        if id not in self.index[kind]:
            raise ValueError(f"no {kind} entry {id!r} in {FILES[kind][0]}")
        return self.index[kind][id]


def load(root: str | Path | None = None) -> Content:
    """The validated content of the shipped package data, or of the data directory `root`."""
    return _load(None if root is None else str(Path(root).resolve()))


@functools.lru_cache(maxsize=8)
def _load(root: str | None) -> Content:
    base = resources.files("hamfoot.data") if root is None else Path(root)
    label = "data" if root is None else Path(root).name
    out, entries, index, known, broken = s.Collector(), {}, {}, {}, set()
    for kind, (name, cls) in FILES.items():
        file = f"{label}/{name}"
        raw = _read(base / name, file, kind, out)
        if raw is None:
            broken.add(kind)
        elif kind == "grading":
            entries[kind] = s.parse(cls, raw, out, file, "'grading'")
        else:
            entries[kind], index[kind], known[kind] = _entries(kind, raw, file, out)
    cited = _resolve(out, known, broken) | _other_citations(base, known.get("references", ()))
    if not broken:  # with a file missing, "orphans" would only be noise
        for ident in sorted(known["references"] - cited):
            out.add(
                f"{label}/references.yaml",
                f"'{ident}'",
                "id",
                "orphan reference: nothing cites it; cite it or remove it",
            )
    if out.problems:
        raise ContentError(out.problems)
    return Content(
        str(base),
        MappingProxyType({k: tuple(v) for k, v in entries.items() if k != "grading"}),
        MappingProxyType({k: MappingProxyType(v) for k, v in index.items()}),
        entries["grading"],
    )


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def read_text(path, file: str, out: s.Collector) -> str | None:
    """A content file's text; None after reporting why it cannot be read (shared by every loader)."""
    try:
        if not path.is_file():
            return out.add(file, None, None, "file is missing")
        return path.read_bytes().decode("utf-8-sig")  # a BOM is harmless
    except UnicodeDecodeError as e:
        return out.add(file, None, None, f"is not valid UTF-8 (bad byte at offset {e.start})")
    except OSError as e:
        return out.add(file, None, None, f"cannot be read: {e.strerror}")


def read_yaml(path, file: str, out: s.Collector, shape: type, expected: str):
    """A YAML file parsed safely, checked to be a `shape` (list or dict); None after reporting."""
    text = read_text(path, file, out)
    if text is None:
        return None
    try:
        raw = yaml.load(text, Loader=_SAFE)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return out.add(file, None, None, f"is not valid YAML{at}: {getattr(e, 'problem', e)}")
    except ValueError as e:  # e.g. a number with thousands of digits (Python's int limit)
        return out.add(file, None, None, f"cannot be read as YAML: {e}")
    if not isinstance(raw, shape):
        return out.add(
            file, None, None, ("is empty; " if raw is None else "") + f"expected {expected}"
        )
    return raw


def _read(path, file: str, kind: str, out: s.Collector):
    """The file's entries (YAML list, grading mapping or CSV rows); None after reporting why not."""
    if file.endswith(".csv"):
        text = read_text(path, file, out)
        return None if text is None else _rows(text, file, out)
    if kind == "grading":
        return read_yaml(
            path, file, out, dict, "a mapping with levels, grades, verification, references"
        )
    return read_yaml(path, file, out, list, "a list of entries, one '- id: ...' mapping each")


def _entries(kind: str, raw: list, file: str, out: s.Collector):
    """Parse a list file: records, index by key, and every key seen (even in bad entries)."""
    cls, key = FILES[kind][1], KEYS[kind]
    records, index, known = [], {}, set()
    for i, item in enumerate(raw):
        ident = item.get(key) if key and isinstance(item, dict) else None
        entry = f"'{ident}'" if isinstance(ident, (str, int)) else f"#{i}"
        if isinstance(item, dict) and "_line" in item:  # CSV rows are located by line
            entry = f"line {item.pop('_line')}"
        if ident is not None:
            known.add(str(ident))
        record = s.parse(cls, item, out, file, entry)
        if record is None:
            continue
        records.append(record)
        if key is None:
            continue
        ident = getattr(record, key)
        if key == "id" and not _ID.fullmatch(ident):
            out.add(file, entry, key, "ids are lowercase kebab-case, e.g. 'heel-pain-2'")
        elif ident in index:
            out.add(file, entry, key, "duplicate id; an earlier entry already uses it")
        else:
            index[ident] = record
    return records, index, known


def _rows(text: str, file: str, out: s.Collector):
    """CSV rows as mappings with numbers parsed; '#' lines are comments (citations)."""
    lines = [
        (n, line)
        for n, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    reader = csv.DictReader([line for _, line in lines])
    want = [f.name for f in fields(s.CohortPoint)]
    if reader.fieldnames != want:
        return out.add(
            file,
            None,
            "header",
            f"columns should be {','.join(want)}, got {','.join(reader.fieldnames or [])}",
        )
    rows = []
    for (n, _), row in zip(lines[1:], reader):
        if row.pop(None, None):
            out.add(file, f"line {n}", None, "has more values than the header has columns")
        for k, v in row.items():
            with contextlib.suppress(TypeError, ValueError):  # text stays text: the schema
                row[k] = float(v) if k in want[:2] else v  # then says "expected a number"
        rows.append({"_line": n, **row})
    return rows


def _resolve(out: s.Collector, known: dict, broken: set) -> set[str]:
    """Check every cross-reference collected while parsing; returns the cited reference ids."""
    cited = set()
    for kind, ident, file, entry, where in out.refs:
        if kind == "*":  # article_map targets are written kind:id
            kind, _, ident = ident.partition(":")
            if not KEYS.get(kind):
                out.add(
                    file,
                    entry,
                    where,
                    f"{kind!r} is not a kind; write kind:id with kind "
                    f"one of {', '.join(k for k in FILES if KEYS[k])}",
                )
                continue
        if kind in broken:
            continue
        if ident not in known[kind]:
            out.add(file, entry, where, f"{ident!r} is not an id in {FILES[kind][0]}")
        elif kind == "references":
            cited.add(ident)
    return cited


def _other_citations(base, ids: Iterable[str]) -> set[str]:
    """Reference ids cited by data files other modules own (e.g. anatomy.yaml, gait/*.csv), so
    that a source only they cite is not reported as an orphan. Their validation is theirs."""
    found, ours = set(), {name for name, _ in FILES.values()}
    files = [f for f in base.iterdir() if f.name.endswith(".yaml") and f.name not in ours]
    files += [f for f in (base / "gait").iterdir()] if (base / "gait").is_dir() else []
    for f in filter(lambda f: f.is_file(), files):
        text = f.read_bytes().decode("utf-8", "replace")
        if f.name.endswith(".csv"):  # cited in '#' header comments
            found |= set(
                _ID.findall(
                    " ".join(
                        line.lower() for line in text.splitlines() if line.lstrip().startswith("#")
                    )
                )
            )
        else:
            with contextlib.suppress(yaml.YAMLError, ValueError):
                found |= _cited_in(yaml.load(text, Loader=_SAFE))
    return found & set(ids)


def _cited_in(node) -> set[str]:
    """Strings under any `reference` / `references` key, at any depth.

    Walked with a stack, each mapping or list once: YAML aliases can make a few hundred bytes
    name billions of nodes, and nesting can be deeper than Python's recursion limit."""
    found, seen, stack = set(), set(), [node]
    while stack:
        node = stack.pop()
        if not isinstance(node, (dict, list)) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("reference", "references"):
                    found.update(
                        x
                        for x in ([v] if isinstance(v, str) else v if isinstance(v, list) else [])
                        if isinstance(x, str)
                    )
            stack.extend(node.values())
        else:
            stack.extend(node)
    return found


# ---------------------------------------------------------------- DataFrames
def _allowed(kind: str, column: str, root) -> tuple:
    if column == "grade":
        return s.GRADES
    if column == "lesson":
        return tuple(load(root).index["toc"])
    tp = s.hints(FILES[kind][1])[column]
    return next(get_args(a) for a in (tp, *get_args(tp)) if get_origin(a) is Literal)


def _frame(name: str, root=None, /, **filters):
    import pandas as pd

    c = load(root)
    rows = [asdict(r) for r in c.entries[name]]
    if name == "treatments":  # the most recent guideline grade, for filtering and summaries
        for row, record in zip(rows, c.entries[name]):
            g = _latest_grade(record)
            row["grade"], row["grade_verification"] = (
                (g.grade, g.verification) if g else ("not graded", None)
            )
    columns = [f.name for f in fields(FILES[name][1])] + (
        ["grade", "grade_verification"] if name == "treatments" else []
    )
    df = pd.DataFrame(rows, columns=columns)
    for column, wanted in filters.items():
        if wanted is None:
            continue
        wanted = [wanted] if isinstance(wanted, str) else list(wanted)
        allowed = _allowed(name, column, root)
        bad = [w for w in wanted if w not in allowed]
        if bad:
            raise ValueError(
                f"{name}: unknown {column} {', '.join(map(repr, bad))}; "
                f"choose from {', '.join(allowed)}"
            )
        df = df[df[column].isin(wanted)]
    if KEYS[name]:
        df.index = list(df[KEYS[name]])
    return df.copy()


def _latest_grade(t: s.Treatment):
    return max(t.grades, key=lambda g: g.year) if t.grades else None


def claims(verdict=None, section=None, *, root=None):
    """The article's claims, each with verdict, reason and references."""
    return _frame("claims", root, verdict=verdict, section=section)


def mechanisms(*, root=None):
    return _frame("mechanisms", root)


def differentials(*, root=None):
    return _frame("differentials", root)


def symptoms(frequency=None, *, root=None):
    return _frame("symptoms", root, frequency=frequency)


def red_flags(source=None, urgency=None, *, root=None):
    return _frame("red_flags", root, source=source, urgency=urgency)


def treatments(category=None, grade=None, verdict=None, *, root=None):
    """Treatments; `grade` filters on the most recent guideline grade (column `grade`)."""
    return _frame("treatments", root, category=category, grade=grade, verdict=verdict)


def recovery(kind=None, *, root=None):
    return _frame("recovery", root, kind=kind)


def cohort(*, root=None):
    return _frame("cohort", root)


def assessments(*, root=None):
    return _frame("assessments", root)


def references(verification=None, *, root=None):
    return _frame("references", root, verification=verification)


def glossary(*, root=None):
    return _frame("glossary", root)


def quiz(lesson=None, *, root=None):
    return _frame("quiz", root, lesson=lesson)


def cases(*, root=None):
    return _frame("cases", root)


def article_map(*, root=None):
    return _frame("article_map", root)


def toc(*, root=None):
    return _frame("toc", root)


def grading(*, root=None):
    """The grading scheme as two DataFrames: (levels I-V, grades A-F)."""
    import pandas as pd

    g = load(root).grading
    levels = pd.DataFrame([asdict(x) for x in g.levels], columns=["level", "meaning"])
    grades = pd.DataFrame([asdict(x) for x in g.grades], columns=["grade", "strength", "basis"])
    levels.index, grades.index = list(levels["level"]), list(grades["grade"])
    return levels, grades


# ---------------------------------------------------------------- records, citations, summary
def get(kind: str, id: str, *, root=None):
    """One entry as its dataclass record (for widgets)."""
    return load(root).get(kind, id)


def summary(*, root=None) -> dict:
    """Counts per kind, verdicts per kind, treatments by latest grade, references by
    verification: the start lesson's live summary and the check command's report."""
    c = load(root)
    return {
        "kinds": {k: len(v) for k, v in c.entries.items()},
        "verdicts": {
            k: _tally((r.verdict for r in v if r.verdict), s.VERDICTS)
            for k, v in c.entries.items()
            if "verdict" in s.hints(FILES[k][1])
        },
        "grades": _tally(
            (g.grade if g else "not graded" for g in map(_latest_grade, c.entries["treatments"])),
            s.GRADES,
        ),
        "verification": _tally((r.verification for r in c.entries["references"]), s.VERIFICATIONS),
    }


def _tally(items: Iterable[str], values: tuple) -> dict[str, int]:
    """Counts for every allowed value, zeros included, in the vocabulary's order."""
    counts = Counter(items)
    return {v: counts[v] for v in values}


_NOTES = {"secondary": "(seen only through a secondary source)", "unverified": "(unverified)"}


def _stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."


def cite(ref_id: str, *, root=None) -> str:
    """A Vancouver-style citation, with DOI/PMID and a visible note when not verified by us."""
    r = load(root).get("references", ref_id)
    when = (
        (str(r.year) if r.year else "year unknown")
        + (f";{r.volume}" if r.volume else "")
        + (f":{r.pages}" if r.pages else "")
    )
    parts = [
        _stop(r.authors) if r.authors else None,
        _stop(r.title),
        f"{_stop(r.journal)} {when}." if r.journal else f"{when}.",
        f"Available from: {r.url}" if r.url and not (r.doi or r.pmid) else None,
        f"DOI {r.doi}." if r.doi else None,
        f"PMID {r.pmid}." if r.pmid else None,
        _NOTES.get(r.verification),
        f"(not seen: {', '.join(r.unverified_fields)})" if r.unverified_fields else None,
    ]
    return " ".join(p for p in parts if p)


def reference_list(ids: Iterable[str], *, root=None) -> list[str]:
    """Formatted citations, de-duplicated, in order of first mention (Vancouver numbering)."""
    return [cite(i, root=root) for i in dict.fromkeys(ids)]


_TEX = str.maketrans(
    {
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",  # keeps braces balanced
        "\\": r"\textbackslash{}",
        "&": r"\&",
        "%": r"\%",
        "#": r"\#",
        "_": r"\_",
        "$": r"\$",
    }
)


def _bib_names(authors: str) -> str:
    names = []
    for a in (x.strip().rstrip(".") for x in authors.split(",")):
        etal, jr = a.endswith("et al"), a.endswith(" Jr")
        a = a.removesuffix("et al").removesuffix(" Jr").strip()
        surname, _, initials = a.rpartition(" ")
        if a:  # "Li Y" -> "Li, Y", "Koc TA Jr" -> "Koc, Jr, TA"; an organisation stays whole
            person = surname and initials.isalpha() and initials.isupper()
            names.append(
                f"{surname}, {'Jr, ' * jr}{initials}".translate(_TEX)
                if person
                else "{" + a.translate(_TEX) + "}"
            )
        names += ["others"] if etal else []
    return " and ".join(names)


def bibtex(ids: Iterable[str] | None = None, *, root=None) -> str:
    """The bibliography (or the given ids) as BibTeX, one entry per reference, text escaped."""
    c = load(root)
    chosen = (
        [c.get("references", i) for i in dict.fromkeys(ids)]
        if ids is not None
        else list(c.entries["references"])
    )
    out = []
    for r in chosen:
        typ = (
            "book"
            if r.kind == "book"
            else "article"
            if r.journal and r.kind in ("article", "review", "guideline")
            else "misc"
        )
        m = re.fullmatch(r"(.+?)\((.+)\)", r.volume or "")
        volume, number = (m.group(1), m.group(2)) if m else (r.volume, None)
        note = "; ".join(
            x for x in (r.pmid and f"PMID {r.pmid}", _NOTES.get(r.verification), r.note) if x
        )
        venue = {"article": "journal", "book": "publisher"}.get(typ, "howpublished")
        fields_ = [
            ("author", r.authors and _bib_names(r.authors)),
            ("title", "{" + r.title.translate(_TEX) + "}"),
            (venue, r.journal and r.journal.translate(_TEX)),
            ("year", r.year),
            ("volume", volume and volume.translate(_TEX)),
            ("number", number and number.translate(_TEX)),
            ("pages", r.pages and r.pages.replace("-", "--").translate(_TEX)),
            ("doi", r.doi and r.doi.translate({123: None, 125: None})),
            ("url", r.url and r.url.translate({123: None, 125: None})),
            ("note", note and note.translate(_TEX)),
        ]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields_ if v)
        out.append(f"@{typ}{{{r.id},\n{body}\n}}\n")
    return "\n".join(out)
