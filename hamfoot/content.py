"""Load, validate and serve the course content in data/ (YAML and CSV).

Why one loader: lessons and widgets must never show a claim whose citation does not resolve, or a
number that would crash or misgrade a lesson, so every file (the YAML content, anatomy.yaml, the
cohort table and every gait/*.csv) is checked together against the pydantic models of
`hamfoot.schema`, once per session (cached), and any problem stops the load with a `ContentError`
that lists every problem by file, entry and field. YAML is read safely: a key written twice is an
error, and aliases may not expand past ALIAS_LIMIT (a few kilobytes of nested aliases can name
billions of nodes). An educator's local folder (quiz, cases, glossary) is merged in and checked the
same way. Accessors return fresh pandas DataFrames (pandas is imported only when one is asked
for), so callers may sort and mutate freely.
"""

from __future__ import annotations

import bisect
import csv
import functools
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

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
    "author_year",
    "surname",
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
ANATOMY = "anatomy.yaml"
GAIT = "gait"
#: Kinds an educator may add to in a local content folder ($HAMFOOT_LOCAL or ./local).
LOCAL_KINDS = ("quiz", "cases", "glossary")
#: YAML aliases may repeat at most this many items beyond the document itself: enough for any
#: honest reuse, far too few for an "alias bomb" that names billions of nodes in a few kilobytes.
ALIAS_LIMIT = 10_000
_SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # safe_load's loader, in C when available
_ID = s.ID


@dataclass(frozen=True)
class Content:
    """All content, validated: `entries[kind]` in file order, `index[kind][id]` for look-ups."""

    source: str
    entries: Mapping[str, tuple]
    index: Mapping[str, Mapping[str, Any]]
    grading: s.Grading
    anatomy: Any = None  # hamfoot.anatomy.Anatomy
    gait: Mapping[str, tuple] | None = None  # table name -> validated rows
    local: str | None = None  # the educator's folder merged in, if any

    def get(self, kind: str, id: str):
        if kind not in self.index:
            raise ValueError(f"unknown kind {kind!r}; choose from {', '.join(self.index)}")
        if id not in self.index[kind]:
            raise ValueError(f"no {kind} entry {id!r} in {FILES[kind][0]}")
        return self.index[kind][id]


def local_folder() -> Path | None:
    """The educator's own content: `$HAMFOOT_LOCAL`, else `local/` beside the lessons (the
    working directory a lesson runs in). A course update never writes there."""
    env = os.environ.get("HAMFOOT_LOCAL")
    if env:
        return Path(env)
    here = Path.cwd() / "local"
    return here if here.is_dir() else None


def load(root: str | Path | None = None, *, local: str | Path | None | bool = None) -> Content:
    """The validated content of the shipped package data, or of the data directory `root`.

    With the shipped data (no `root`), an educator's local folder is merged in (see
    `local_folder`); `local=` names one explicitly, `local=False` leaves it out."""
    if local is None:
        local = local_folder() if root is None else None
    elif local is False:
        local = None
    return _load(
        None if root is None else str(Path(root).resolve()),
        None if local is None else str(Path(local).resolve()),
    )


@functools.lru_cache(maxsize=8)
def _load(root: str | None, local: str | None = None) -> Content:
    base = resources.files("hamfoot.data") if root is None else Path(root)
    label = "data" if root is None else Path(root).name
    out, entries, index, known, broken = s.Collector(), {}, {}, {}, set()
    for kind, (name, cls) in FILES.items():
        file = f"{label}/{name}"
        raw = _read(base / name, file, kind, out)
        if raw is None:
            broken.add(kind)
        elif kind == "grading":
            entries[kind] = s.validate(cls, raw, out, file, "'grading'")
        else:
            entries[kind], index[kind], known[kind] = _entries(kind, raw, file, out)
    if local is not None:
        _merge_local(Path(local), entries, index, known, broken, out)
    anatomy = _anatomy(base / ANATOMY, f"{label}/{ANATOMY}", out)
    gait = _gait(base / GAIT, f"{label}/{GAIT}", out)
    cited = _resolve(out, known, broken) | _other_citations(base, known.get("references", ()))
    if not broken:  # with a file missing, "orphans" would only be noise
        for ident in sorted(known["references"] - cited - out.cited_raw):
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
        anatomy,
        MappingProxyType(gait),
        local,
    )


load.cache_clear = _load.cache_clear  # type: ignore[attr-defined]


def _merge_local(folder: Path, entries, index, known, broken, out: s.Collector) -> None:
    """Append the educator's quiz questions, cases and glossary terms, validated like the
    course's own; an id the course already uses is an error naming the local file."""
    if not folder.is_dir():
        out.add(str(folder), None, None, "local content folder is missing (check HAMFOOT_LOCAL)")
        return
    for kind in LOCAL_KINDS:
        name = FILES[kind][0]
        if not (folder / name).exists():
            continue
        file = f"{folder.name}/{name}"
        raw = _read(folder / name, file, kind, out)
        if raw is None or kind in broken:
            continue
        records, own, ids = _entries(kind, raw, file, out)
        for record in records:
            ident = getattr(record, KEYS[kind])
            if ident in index[kind]:
                out.add(file, f"'{ident}'", "id", f"the course already has this id in {name}")
                continue
            entries[kind].append(record)
            index[kind][ident] = record
        known[kind] |= ids


def read_text(path, file: str, out: s.Collector) -> str | None:
    """A content file's text; None after reporting why it cannot be read (shared by every loader)."""
    try:
        if not path.is_file():
            return out.add(file, None, None, "file is missing")
        text = path.read_bytes().decode("utf-8-sig")  # a BOM is harmless
    except UnicodeDecodeError as e:
        return out.add(file, None, None, f"is not valid UTF-8 (bad byte at offset {e.start})")
    except OSError as e:
        return out.add(file, None, None, f"cannot be read: {e.strerror}")
    if "\x00" in text:  # no text format allows it; Python 3.10's csv module crashes on it
        line = text.count("\n", 0, text.index("\x00")) + 1
        return out.add(file, None, None, f"contains a NUL byte (line {line}); is it a text file?")
    return text


class _Loader(_SAFE):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader that also records duplicate keys (PyYAML keeps the last silently)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # key, line, line of the first one

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                line = key.start_mark.line + 1
                if (key.tag, key.value) in seen:
                    self.duplicates.append((key.value, line, seen[key.tag, key.value]))
                else:
                    seen[key.tag, key.value] = line
        return super().construct_mapping(node, deep)


class _Refused(ValueError):
    pass


def parse_yaml(text: str):
    """(document, duplicate keys, first line of each top-level entry) of YAML text, parsed safely.

    Raises yaml.YAMLError for bad syntax and `_Refused` for aliases that expand past
    ALIAS_LIMIT or refer to themselves."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        doc = None if node is None else loader.construct_document(node)
        lines = (
            tuple(n.start_mark.line + 1 for n in node.value)
            if isinstance(node, yaml.SequenceNode)
            else ()
        )
    finally:
        loader.dispose()
    _check_aliases(doc)
    return doc, tuple(loader.duplicates), lines


def _check_aliases(doc) -> None:
    """Refuse alias expansion past ALIAS_LIMIT, and self-referring aliases, in time linear in
    the document's size (each distinct list or mapping is visited once)."""
    if not isinstance(doc, (dict, list)):
        return
    sizes: dict[int, int] = {}
    path: set[int] = set()
    unique = 0
    stack: list[tuple[Any, bool]] = [(doc, False)]
    while stack:
        node, done = stack.pop()
        kids = list(node.values()) if isinstance(node, dict) else node
        if done:
            path.discard(id(node))
            sizes[id(node)] = 1 + sum(
                sizes.get(id(k), 1) if isinstance(k, (dict, list)) else 1 for k in kids
            )
            continue
        if id(node) in sizes:
            continue
        if id(node) in path:
            raise _Refused("a YAML alias refers to itself (an endless structure)")
        unique += 1 + sum(not isinstance(k, (dict, list)) for k in kids)
        path.add(id(node))
        stack.append((node, True))
        stack += [(k, False) for k in kids if isinstance(k, (dict, list)) and id(k) not in sizes]
    total = sizes.get(id(doc), 1) if isinstance(doc, (dict, list)) else 1
    if total - unique > ALIAS_LIMIT:
        raise _Refused(
            f"its YAML aliases (*name) repeat {total - unique:,} items; at most "
            f"{ALIAS_LIMIT:,} are allowed (write the content out instead of nesting aliases)"
        )


def read_yaml(path, file: str, out: s.Collector, shape: type, expected: str, lines=None):
    """A YAML file parsed safely, checked to be a `shape` (list or dict); None after reporting.

    A duplicated key is reported with its line (and its entry, once known: `lines` receives
    the first line of each top-level entry)."""
    text = read_text(path, file, out)
    if text is None:
        return None
    try:
        raw, duplicates, starts = parse_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return out.add(file, None, None, f"is not valid YAML{at}: {getattr(e, 'problem', e)}")
    except _Refused as e:
        return out.add(file, None, None, f"is refused: {e}")
    except (ValueError, RecursionError) as e:  # e.g. a number with thousands of digits
        return out.add(file, None, None, f"cannot be read as YAML: {str(e)[:200]}")
    if not isinstance(raw, shape):
        return out.add(
            file, None, None, ("is empty; " if raw is None else "") + f"expected {expected}"
        )
    for key, line, first in duplicates:
        entry = f"line {line}"
        if isinstance(raw, list) and starts:
            i = bisect.bisect_right(starts, line) - 1
            item = raw[i] if i >= 0 else None
            ident = item.get("id", item.get("number")) if isinstance(item, dict) else None
            entry = f"'{ident}'" if isinstance(ident, (str, int)) else f"#{i}"
        out.add(
            file,
            entry,
            key,
            f"duplicate key at line {line} (also at line {first}); YAML keeps only the last, "
            "so write the key once",
        )
    if lines is not None:
        lines.extend(starts)
    return None if duplicates else raw


def _read(path, file: str, kind: str, out: s.Collector):
    """The file's entries (YAML list, grading mapping or CSV rows); None after reporting why not."""
    if file.endswith(".csv"):
        text = read_text(path, file, out)
        return None if text is None else read_csv(text, file, FILES[kind][1], out)[0]
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
        record = s.validate(cls, item, out, file, entry)
        if record is None:
            out.cited_raw |= _cited_in(item)  # so its sources are not also called orphans
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


def read_csv(text: str, file: str, cls, out: s.Collector):
    """(rows as mappings with numbers parsed, ids named on '# references:' lines) of a CSV table
    whose columns are the fields of `cls`, in order; '#' lines are comments. None after
    reporting a bad header."""
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)]
    cited = [
        part.strip()
        for _, line in lines
        if line.lstrip().startswith("#") and line.lstrip("# \t").lower().startswith("references:")
        for part in line.split(":", 1)[1].split(",")
        if part.strip()
    ]
    lines = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    try:
        reader = csv.DictReader([line for _, line in lines])
        got = [c.strip() for c in reader.fieldnames or []]
        records = list(reader)
    except csv.Error as e:
        return out.add(file, None, None, f"is not valid CSV: {e}"), cited
    want = list(s.fields(cls))
    if got != want:
        at = f"line {lines[0][0]}" if lines else None
        missing = [c for c in want if c not in got]
        unknown = [c for c in got if c not in want]
        for c in missing:
            out.add(file, at, f"header.{c}", f"missing column; columns should be {','.join(want)}")
        for c in unknown:
            out.add(file, at, f"header.{c}", f"unknown column; columns should be {','.join(want)}")
        if not missing and not unknown:
            out.add(file, at, "header", f"columns should be {','.join(want)}, got {','.join(got)}")
        return None, cited
    numeric = {c for c in want if s._bare(s.annotation(cls, c)) is float}
    rows = []
    for (n, _), row in zip(lines[1:], records):
        if row.pop(None, None):
            out.add(file, f"line {n}", None, "has more values than the header has columns")
        cells = {}
        for k, v in row.items():
            if v is None:
                continue  # a short row: the field is missing
            k, v = k.strip(), v.strip()
            if not v:
                cells[k] = None
            elif k in numeric:
                try:
                    cells[k] = float(v)
                except ValueError:
                    cells[k] = v  # text stays text: the schema then says "expected a number"
            else:
                cells[k] = v
        rows.append({"_line": n, **cells})
    return rows, cited


def _anatomy(path, file: str, out: s.Collector):
    """anatomy.yaml: structures (each validated, entry = its id) and the pelvic-tilt texts."""
    from hamfoot.anatomy import Anatomy

    raw = read_yaml(path, file, out, dict, "a mapping with 'structures' and 'pelvic_tilt'")
    if raw is None:
        return None
    before, items, seen = len(out.problems), [], set()
    for key in raw:
        if key not in s.AnatomyFile.model_fields:
            out.add(file, None, key, "unknown section; expected structures, pelvic_tilt")
    listed = raw.get("structures")
    if not isinstance(listed, list) or not listed:
        out.add(file, None, "structures", "expected a non-empty list of '- id: ...' entries")
        listed = []
    for i, item in enumerate(listed):
        name = item.get("id") if isinstance(item, dict) else None
        entry = f"'{name}'" if isinstance(name, str) else f"#{i}"
        record = s.validate(s.Structure, item, out, file, entry)
        if record is None:
            continue
        if record.id in seen:
            out.add(file, entry, "id", "duplicate id; it is already used by an earlier entry")
        seen.add(record.id)
        items.append(record)
    tilt = None
    if "pelvic_tilt" in raw:
        tilt = s.validate(s.PelvicTilt, raw["pelvic_tilt"], out, file, "'pelvic_tilt'")
    else:
        out.add(file, "'pelvic_tilt'", None, "missing (required)")
    if len(out.problems) > before:
        return None
    return Anatomy(tuple(items), MappingProxyType({r.id: r for r in items}), tilt)


def _gait(folder, label: str, out: s.Collector) -> dict[str, tuple]:
    """Every table in gait/: its rows validated by the table's row model, its '# references:'
    ids resolved; a table without a model is an error (nothing unchecked reaches the model)."""
    tables: dict[str, tuple] = {}
    if not folder.is_dir():
        return tables
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.name.endswith(".csv"):
            continue
        file = f"{label}/{path.name}"
        cls = s.GAIT_TABLES.get(path.name)
        if cls is None:
            out.add(
                file,
                None,
                None,
                "no schema for this table; add its row model to hamfoot.schema.GAIT_TABLES",
            )
            continue
        rows = gait_rows(path, file, cls, out)
        if rows is not None:
            tables[path.name] = rows
    return tables


def gait_rows(path, file: str, cls, out: s.Collector) -> tuple | None:
    """One gait table's validated rows (also used by hamfoot.chain._tables)."""
    text = read_text(path, file, out)
    if text is None:
        return None
    raw, cited = read_csv(text, file, cls, out)
    if not cited:
        out.add(file, None, "references", "no '# references: id, id' comment line")
    for i, ident in enumerate(cited):
        out.refs.append(("references", ident, file, "'# references'", f"references[{i}]"))
    if raw is None:
        return None
    rows = [s.validate(cls, row, out, file, f"line {row.pop('_line')}") for row in raw]
    if not rows:
        out.add(file, None, None, "has no rows")
    return None if None in rows else tuple(rows)


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
    """Reference ids cited by YAML files no model describes (e.g. a file another module adds),
    so that a source only they cite is not reported as an orphan."""
    found, ours = set(), {name for name, _ in FILES.values()} | {ANATOMY}
    for f in base.iterdir():
        if f.name.endswith(".yaml") and f.name not in ours and f.is_file():
            raw = read_yaml(f, f.name, s.Collector(), object, "")
            found |= _cited_in(raw)
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
    return s._literal(s.annotation(FILES[kind][1], column)) or ()


def _frame(name: str, root=None, /, **filters):
    import pandas as pd

    c = load(root)
    rows = [r.model_dump() for r in c.entries[name]]
    if name == "treatments":  # the most recent guideline grade, for filtering and summaries
        for row, record in zip(rows, c.entries[name]):
            g = _latest_grade(record)
            row["grade"], row["grade_verification"] = (
                (g.grade, g.verification) if g else ("not graded", None)
            )
    columns = list(s.fields(FILES[name][1])) + (
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
    levels = pd.DataFrame([x.model_dump() for x in g.levels], columns=["level", "meaning"])
    grades = pd.DataFrame(
        [x.model_dump() for x in g.grades], columns=["grade", "strength", "basis"]
    )
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
            if "verdict" in s.fields(FILES[k][1])
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
    ]
    return " ".join(p for p in parts if p)


_INITIALS = re.compile(r"(?:[A-Z]\.?-?)+|Jr\.?|Sr\.?")


def surname(authors: str | None) -> str | None:
    """The first author's surname as printed, particles and hyphens kept: 'van Leeuwen KDB, ...'
    -> 'van Leeuwen', 'De Garceau D' -> 'De Garceau', 'López-Miñarro PA' -> 'López-Miñarro',
    'Alshami et al.' -> 'Alshami'; an organisation stays whole."""
    if not authors:
        return None
    first = re.sub(r"\s*,?\s*et al\.?$", "", authors.split(",")[0].strip()).split()
    while len(first) > 1 and _INITIALS.fullmatch(first[-1]) and len(first[-1]) <= 4:
        first.pop()  # trailing initials (and Jr): never part of the surname
    return " ".join(first) or None


def author_year(ref_id: str, *, root=None) -> str:
    """'van Leeuwen 2016': the one short label of a reference, for panel titles, table cells and
    in-text citations everywhere in the package; the course's own computations say so."""
    r = load(root).get("references", ref_id)
    if r.kind == "model":
        return f"{r.title} (the course's own calculation, unpublished)"
    who = surname(r.authors) or r.journal or r.title
    return f"{who} {r.year}" if r.year else who


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
