"""The shape of hamfoot's content: one frozen dataclass per kind of entry, plus the vocabularies.

Why type hints as the spec: the annotations *are* the field specification (required when there is
no default, `X | None` may be null, `Literal` is an enum, `tuple[...]` a list, metadata `ref` a
cross-reference). One small generic validator, `parse`, reads them, so every kind is checked the
same way and every problem names the file, the entry and the field.
"""

from __future__ import annotations

import dataclasses as dc
import functools
import math
import re
import reprlib
import types
import typing as t
from dataclasses import dataclass, field
from typing import Literal

Verdict = Literal["supported", "plausible-but-weak", "contested", "contradicted", "unsupported"]
Verification = Literal["verified", "secondary", "unverified"]
Urgency = Literal["emergency", "urgent", "routine"]
Section = Literal[
    "introduction", "causes", "symptoms", "see-a-doctor", "treatment", "recovery", "conclusion"
]
Category = Literal["conventional", "alternative", "home", "missing-from-article"]
EvidenceLevel = Literal["strong", "moderate", "limited", "theoretical", "none"]
Basis = Literal["measured", "modelled", "anatomical", "opinion"]
ReferenceKind = Literal[
    "article", "review", "guideline", "book", "web", "model", "dataset", "registry"
]
Frequency = Literal["common", "less-common"]
FlagSource = Literal["article", "evidence"]
RecoveryKind = Literal["article-phase", "article-tip", "evidence", "decision-point"]
QuizType = Literal["single", "multiple", "numeric"]
GradeLetter = Literal["A", "B", "C", "D", "E", "F"]
GuidelineGrade = Literal["A", "B", "C", "D", "E", "F", "not graded"]
EvidenceLevelRoman = Literal["I", "II", "III", "IV", "V"]
Group = Literal["men", "women", "all"]
TightWhen = Literal["above", "below"]

VERDICTS, VERIFICATIONS = t.get_args(Verdict), t.get_args(Verification)
URGENCIES, SECTIONS, CATEGORIES = t.get_args(Urgency), t.get_args(Section), t.get_args(Category)
GRADES, EVIDENCE_LEVELS = t.get_args(GuidelineGrade), t.get_args(EvidenceLevel)
QUIZ_TYPES = t.get_args(QuizType)


def refs(kind: str = "references", required: bool = True, least: int | None = None):
    """A list of ids pointing into another file; `references` lists must cite at least one."""
    least = (1 if kind == "references" else 0) if least is None else least
    md = {"ref": kind, "least": least}
    return field(metadata=md) if required else field(default=(), metadata=md)


def ref(kind: str = "references"):
    """A single id pointing into another file."""
    return field(metadata={"ref": kind})


frozen = dataclass(frozen=True, kw_only=True)
Texts = tuple[str, ...]


@frozen
class Reference:
    """A source; `verification` follows the brief: [V] verified, [V2] secondary, [M] unverified."""

    id: str
    authors: str | None
    year: int | None
    title: str
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    kind: ReferenceKind
    verification: Verification
    unverified_fields: Texts = ()
    unchecked: Texts = ()
    note: str | None = None

    def check(self):
        known = {f.name for f in dc.fields(self)}
        for name in self.unverified_fields:
            if name not in known:
                yield "unverified_fields", f"{name!r} is not a reference field"
        for name in self.unchecked:
            if name not in known:
                yield "unchecked", f"{name!r} is not a reference field"
        if self.verification == "verified" and self.unchecked:
            yield (
                "unchecked",
                "a verified reference must have every field checked (unchecked is not empty)",
            )
        if self.doi and not re.fullmatch(r"10\.\d{4,9}/\S+", self.doi):
            yield "doi", f"{self.doi!r} should look like 10.xxxx/..., without a doi.org prefix"
        if self.pmid and not self.pmid.isdigit():
            yield "pmid", f"{self.pmid!r} should be digits only"


@frozen
class Claim:
    """One thing the source article asserts, paraphrased, with our verdict and why."""

    id: str
    section: Section
    statement: str
    verdict: Verdict
    reason: str
    references: Texts = refs()
    believe_if: str | None = None


@frozen
class Mechanism:
    """One link of the kinetic chain: what is claimed beside what is known."""

    id: str
    link: str
    claimed: str
    known: str
    evidence_level: EvidenceLevel
    basis: Basis
    claims: Texts = refs("claims")
    references: Texts = refs()


@frozen
class Differential:
    """Another condition that heel, arch or forefoot pain can be."""

    id: str
    name: str
    features: str
    tests: str | None = None
    references: Texts = refs()


@frozen
class Symptom:
    """A symptom as the article lists it, and what it really points to."""

    id: str
    name: str
    frequency: Frequency
    article_says: str
    suggests: str
    differentials: Texts = refs("differentials")
    verdict: Verdict
    reason: str
    references: Texts = refs()


@frozen
class RedFlag:
    """A finding that means handing over to a clinician; article items carry a verdict."""

    id: str
    source: FlagSource
    finding: str
    suspect: Texts
    differentials: Texts = refs("differentials", required=False)
    urgency: Urgency
    action: str
    verdict: Verdict | None = None
    reason: str | None = None
    references: Texts = refs()

    def check(self):
        if self.source == "article" and self.verdict is None:
            yield "verdict", "is required when source is 'article'"


@frozen
class Grade:
    """One guideline's grade for a treatment, and whether we saw that grade ourselves."""

    guideline: str = ref()
    year: int
    grade: GuidelineGrade
    verification: Verification


@frozen
class Treatment:
    """A treatment option: what the article says, guideline grades, evidence, verdict."""

    id: str
    name: str
    category: Category
    article_says: str | None
    grades: tuple[Grade, ...]
    evidence: str
    cautions: Texts = ()
    verdict: Verdict
    references: Texts = refs()

    def check(self):
        if (self.category == "missing-from-article") != (self.article_says is None):
            yield "article_says", "must be null exactly when category is 'missing-from-article'"


@frozen
class RecoveryPhase:
    """A step of the article's recovery plan, a tip, or what cohorts and pathways say instead."""

    id: str
    kind: RecoveryKind
    label: str
    weeks_from: float | None = None
    weeks_to: float | None = None
    article_says: str | None = None
    evidence_says: str
    verdict: Verdict
    references: Texts = refs()

    def check(self):
        if None not in (self.weeks_from, self.weeks_to) and self.weeks_from > self.weeks_to:
            yield "weeks_to", f"{self.weeks_to} is before weeks_from {self.weeks_from}"


@frozen
class CohortPoint:
    """One row of cohort_hansen2018.csv: share of patients still symptomatic after some years."""

    years: float
    still_symptomatic_pct: float
    reference: str = ref()


@frozen
class Norm:
    """A normative value or cut-off for a test, by group."""

    group: Group
    mean: float | None = None
    sd: float | None = None
    cutoff: float | None = None
    tight_when: TightWhen | None = None
    population: str | None = None
    reference: str = ref()


@frozen
class Reliability:
    """Measurement error of a test: ICC (text, may be a range), SEM, MDD."""

    icc: str | None = None
    sem: float | None = None
    mdd: float | None = None
    population: str | None = None
    reference: str = ref()


@frozen
class Accuracy:
    """Diagnostic accuracy, percentages as numbers."""

    sensitivity: float | None = None
    specificity: float | None = None
    population: str | None = None
    reference: str = ref()


@frozen
class Conversion:
    """A published factor turning a test's raw unit into another, e.g. lunge cm to degrees."""

    factor: float
    from_unit: str
    to_unit: str
    reference: str = ref()


@frozen
class Assessment:
    """A clinical test: how it is done, how its number is read, norms, reliability, accuracy."""

    id: str
    name: str
    procedure: str
    measures: str
    convention: str
    unit: str
    norms: tuple[Norm, ...]
    reliability: tuple[Reliability, ...] = ()
    accuracy: tuple[Accuracy, ...] = ()
    conversion: Conversion | None = None
    cautions: Texts = ()
    references: Texts = refs()


@frozen
class GlossaryTerm:
    id: str
    term: str
    definition: str
    references: Texts = refs(required=False, least=0)


@frozen
class Level:
    level: EvidenceLevelRoman
    meaning: str


@frozen
class GradeDefinition:
    grade: GradeLetter
    strength: str
    basis: str


@frozen
class Grading:
    """The JOSPT scheme itself (levels I-V, grades A-F), so lessons can explain a grade."""

    levels: tuple[Level, ...]
    grades: tuple[GradeDefinition, ...]
    verification: Verification
    references: Texts = refs()


_KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _ids(items, where: str, within: str):
    """Problems with the ids of options, choices or steps: kebab-case and unique `within`."""
    seen = set()
    for i, item in enumerate(items):
        if not _KEBAB.fullmatch(item.id):
            yield f"{where}[{i}].id", f"{item.id!r} is not a lowercase kebab-case id"
        elif item.id in seen:
            yield f"{where}[{i}].id", f"{item.id!r} is used twice in this {within}"
        seen.add(item.id)


@frozen
class QuizOption:
    """One answer option; learners' answers are saved by `id`, so an id never changes meaning."""

    id: str
    text: str


@frozen
class QuizQuestion:
    id: str
    lesson: str = ref("toc")
    type: QuizType
    prompt: str
    options: tuple[QuizOption, ...] = ()
    answer: int | float | str | tuple[str, ...]
    tolerance: float | None = None
    explanation: str
    references: Texts = refs()

    def check(self):
        a, ids = self.answer, [o.id for o in self.options]
        if self.type == "numeric":
            if ids or not isinstance(a, (int, float)):
                yield "answer", "a numeric question has a number as answer and no options"
            return
        if len(ids) < 2:
            yield "options", f"a {self.type} question needs at least 2 options"
            return
        yield from _ids(self.options, "options", "question")
        if self.type == "single" and not isinstance(a, str):
            yield "answer", "needs one option id"
        elif self.type == "multiple" and not (isinstance(a, tuple) and a):
            yield "answer", "needs a list of option ids"
        else:
            picks = (a,) if isinstance(a, str) else a
            for p in picks:
                if p not in ids:
                    yield "answer", f"{p!r} is not an option id; choose from {', '.join(ids)}"
            if len(set(picks)) != len(picks):
                yield "answer", "names an option twice"


@frozen
class CaseChoice:
    id: str
    label: str
    correct: bool
    feedback: str


@frozen
class CaseStep:
    id: str
    prompt: str
    choices: tuple[CaseChoice, ...]

    def check(self):
        yield from _ids(self.choices, "choices", "step")
        if sum(c.correct for c in self.choices) != 1:
            yield "choices", "exactly one choice must be marked correct"


@frozen
class Case:
    """A clinical vignette played step by step."""

    id: str
    title: str
    vignette: str
    steps: tuple[CaseStep, ...]
    outcome: str
    references: Texts = refs()

    def check(self):
        yield from _ids(self.steps, "steps", "case")


@frozen
class ArticleItem:
    """One section or item of the source article, mapped to the entries that answer it."""

    id: str
    section: Section
    label: str
    maps_to: Texts = refs("*", least=1)


@frozen
class Show:
    """Content a lesson presents (`where` = "column=value,value", or all of the kind) and the call
    in the lesson that presents it; a test follows these from the article map to the lessons."""

    kind: str
    where: str | None = None
    via: str


@frozen
class Lesson:
    number: str
    file: str
    title: str
    minutes: float
    summary: str
    shows: tuple[Show, ...] = ()

    def check(self):
        if not re.fullmatch(r"\d\d", self.number):
            yield "number", f'{self.number!r} should be two digits, quoted, e.g. "03"'


# ---------------------------------------------------------------- validation
@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located by file, entry (id or #index) and field."""

    file: str
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            w
            for w in (self.entry and f"entry {self.entry}", self.field and f"field {self.field!r}")
            if w
        )
        return ": ".join(w for w in (self.file, where, self.message) if w)


class ContentError(ValueError):
    """Bad content. `problems` lists every problem found; str() gives one per line."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


class Collector:
    """Gathers every problem (and every cross-reference to resolve later) of one load."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.refs: list[tuple[str, str, str, str, str]] = []  # kind, id, file, entry, field

    def add(self, file, entry, where, message):
        self.problems.append(Problem(file, entry, where, message))


_REPR = reprlib.Repr()  # bounded: a YAML alias bomb names billions of items; never print them all
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxtuple, _REPR.maxstring = 2, 4, 4, 4, 40


def _show(v) -> str:
    r = repr(v) if isinstance(v, (str, int, float, type(None))) else _REPR.repr(v)
    return r if len(r) <= 40 else r[:37] + "..."


def _describe(tp) -> str:
    if t.get_origin(tp) in (t.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _describe(a) for a in t.get_args(tp))
    if t.get_origin(tp) is Literal:
        return "one of " + ", ".join(t.get_args(tp))
    if t.get_origin(tp) is tuple:
        return "a list"
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, "a mapping"
    )


def _value(tp, v, out: Collector, file, entry, where, md):
    """Check one value against its annotation; returns the (normalised) value."""
    origin, args = t.get_origin(tp), t.get_args(tp)
    if origin in (t.Union, types.UnionType):
        if v is None and type(None) in args:
            return None
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _value(options[0], v, out, file, entry, where, md)
        for a in options:  # first alternative that fits, e.g. a quiz answer index or list
            trial = Collector()
            got = _value(a, v, trial, file, entry, where, md)
            if not trial.problems:
                out.refs += trial.refs
                return got
        return out.add(file, entry, where, f"expected {_describe(tp)}, got {_show(v)}")
    if origin is Literal:
        if isinstance(v, str) and v in args:
            return v
        return out.add(file, entry, where, f"{_show(v)} is not one of {', '.join(args)}")
    if origin is tuple:
        if not isinstance(v, list):
            return out.add(file, entry, where, f"expected a list, got {_show(v)}")
        if len(v) < md.get("least", 0):
            what = "cites nothing" if md["ref"] == "references" else "is empty"
            out.add(file, entry, where, f"{what}; at least one id is required")
        return tuple(
            _value(args[0], x, out, file, entry, f"{where}[{i}]", md) for i, x in enumerate(v)
        )
    if dc.is_dataclass(tp):
        return parse(tp, v, out, file, entry, where + ".")
    if tp is str and isinstance(v, int) and not isinstance(v, bool):
        v = str(v)  # e.g. an unquoted PMID
    ok = {
        str: lambda: isinstance(v, str) and v.strip(),
        bool: lambda: isinstance(v, bool),
        int: lambda: isinstance(v, int) and not isinstance(v, bool),
        float: lambda: (
            isinstance(v, (int, float))
            and not isinstance(v, bool)
            and (isinstance(v, int) or math.isfinite(v))
        ),
    }[tp]()  # an int too big for a float is finite
    if not ok:
        return out.add(file, entry, where, f"expected {_describe(tp)}, got {_show(v)}")
    if "ref" in md:
        out.refs.append((md["ref"], v, file, entry, where))
    return v


@functools.cache
def hints(cls) -> dict:
    """The resolved annotations of a record class (cached: parse runs once per entry)."""
    return t.get_type_hints(cls)


def parse(cls, raw, out: Collector, file: str, entry: str, path: str = ""):
    """Build `cls` from a YAML mapping, reporting every problem to `out`; None if any."""
    if not isinstance(raw, dict):
        return out.add(
            file, entry, path.rstrip(".") or None, f"expected a mapping of fields, got {_show(raw)}"
        )
    before, annotations = len(out.problems), hints(cls)
    specs = {f.name: f for f in dc.fields(cls)}
    for key in raw:
        if key not in specs:
            out.add(file, entry, f"{path}{key}", f"unknown field; expected {', '.join(specs)}")
    values = {}
    for name, f in specs.items():
        if name in raw:
            values[name] = _value(
                annotations[name], raw[name], out, file, entry, path + name, f.metadata
            )
        elif f.default is dc.MISSING:
            out.add(file, entry, path + name, "missing (required)")
    if len(out.problems) > before:
        return None
    record = cls(**values)
    for where, message in getattr(record, "check", lambda: ())():
        out.add(file, entry, path + where, message)
    return record if len(out.problems) == before else None
