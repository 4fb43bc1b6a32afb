"""The shape of hamfoot's content: one frozen pydantic model per kind of entry, plus the vocabularies.

Why pydantic models as the spec: the annotations *are* the field specification (required when there
is no default, `X | None` may be null, `Literal` is an enum, `tuple[...]` a list, `Field(ge=, le=)`
a plausible range, `ref(...)` a cross-reference), and the same models generate the JSON Schemas
editors use and the field tables of data/README.md, so the three can never disagree. `validate`
turns pydantic's errors into `Problem`s that name the file, the entry and the field, in the words
an educator editing YAML understands. This module is imported only when content is loaded.
"""

from __future__ import annotations

import math
import re
import reprlib
import types
import typing as t
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
)
from pydantic.fields import FieldInfo

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
StructureKind = Literal["muscle", "tendon", "ligament", "fascia", "landmark"]
ValueBasis = Literal["measured", "modelled"]
Joint = Literal["hip", "knee", "ankle"]

VERDICTS, VERIFICATIONS = t.get_args(Verdict), t.get_args(Verification)
URGENCIES, SECTIONS, CATEGORIES = t.get_args(Urgency), t.get_args(Section), t.get_args(Category)
GRADES, EVIDENCE_LEVELS = t.get_args(GuidelineGrade), t.get_args(EvidenceLevel)
QUIZ_TYPES = t.get_args(QuizType)

ID = re.compile(r"[a-z0-9]+(?:[.-][a-z0-9]+)*")
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# ---------------------------------------------------------------- value types
def _number_as_text(v):
    """An unquoted PMID, volume or year-like label reads as text (YAML made it a number)."""
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


def _not_blank(v: str) -> str:
    if not v.strip():
        raise ValueError("blank")
    return v


Text = Annotated[str, BeforeValidator(_number_as_text), Strict(), AfterValidator(_not_blank)]
Int = Annotated[int, Strict()]
Num = Annotated[float, Strict(), Field(allow_inf_nan=False)]
Bool = Annotated[bool, Strict()]
Texts = tuple[Text, ...]
Percent = Annotated[Num, Field(ge=0, le=100)]
Degrees = Annotated[Num, Field(ge=-180, le=180)]
Year = Annotated[Int, Field(ge=1800, le=2100)]


def ref(kind: str = "references", **kw) -> Any:
    """A single id pointing into another file (`kind` names it; resolved after validation)."""
    return Field(json_schema_extra={"x-ref": kind}, **kw)


def refs(kind: str = "references", required: bool = True, least: int | None = None) -> Any:
    """A list of ids pointing into another file; `references` lists must cite at least one."""
    least = (1 if kind == "references" else 0) if least is None else least
    extra = {"x-ref": kind}
    if required:
        return Field(min_length=least, json_schema_extra=extra)
    return Field(default=(), min_length=least, json_schema_extra=extra)


class Record(BaseModel):
    """Every content record: unknown fields are errors, records are read-only after loading."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    def check(self):
        """Rules across fields, as (field, message) pairs; run only on an otherwise valid record."""
        return ()


# ---------------------------------------------------------------- the bibliography
#: Bibliographic fields a `verified` entry of each kind must show (checked by
#: `hamfoot check --references`): a journal article is findable from authors, year, title, journal.
REQUIRED_WHEN_VERIFIED: dict[str, tuple[str, ...]] = {
    "article": ("authors", "year", "title", "journal"),
    "review": ("authors", "year", "title", "journal"),
    "guideline": ("authors", "year", "title", "journal"),
    "book": ("authors", "year", "title", "journal"),
    "registry": ("title", "url"),
    "web": ("title", "journal", "url"),
    "dataset": ("title", "url"),
    "model": ("title",),
}
BIBLIOGRAPHIC = ("authors", "year", "title", "journal", "volume", "pages", "doi", "pmid", "url")


class Reference(Record):
    """A source; `verification` says how we saw it: verified (primary record), secondary, unverified.

    `unchecked` names bibliographic fields not yet checked against the primary record (an editor's
    note, shown by `hamfoot check --references`, never in a student's reference list)."""

    id: Text
    """e.g. `li1996`: first author and year, with a suffix when needed"""
    authors: Text | None
    """as printed, e.g. `Li Y, McClure PW, Pratt N`; `null` when not seen"""
    year: Year | None
    """`null` when not known"""
    title: Text
    """the published title"""
    journal: Text | None = None
    """journal, book publisher, site or organisation"""
    volume: Text | None = None
    """as text, e.g. `"76(8)"`"""
    pages: Text | None = None
    """as text, e.g. `"836-845"`"""
    doi: Text | None = None
    """exactly as seen, without `https://doi.org/`; never guessed"""
    pmid: Text | None = None
    url: Text | None = None
    kind: ReferenceKind
    """what sort of source it is"""
    verification: Verification
    """`verified`: every field checked against the primary record; `secondary`: seen only through a summary; `unverified`"""
    unchecked: tuple[Literal[BIBLIOGRAPHIC], ...] = ()  # type: ignore[valid-type]
    """fields not yet checked against the primary record (editors only; none when verified)"""
    note: Text | None = None
    """anything a reader should know about the source"""

    def check(self):
        if self.doi and not re.fullmatch(r"10\.\d{4,9}/\S+", self.doi):
            yield "doi", f"{self.doi!r} should look like 10.xxxx/..., without a doi.org prefix"
        if self.pmid and not self.pmid.isdigit():
            yield "pmid", f"{self.pmid!r} should be digits only"

    def bibliography_problems(self):
        """What keeps this entry from being `verified` (only asked of verified entries)."""
        if self.verification != "verified":
            return
        if self.unchecked:
            yield (
                "unchecked",
                (
                    f"a verified entry has no unchecked fields; {', '.join(self.unchecked)} "
                    "unchecked means verification: secondary or unverified"
                ),
            )
        for name in REQUIRED_WHEN_VERIFIED[self.kind]:
            if getattr(self, name) is None:
                yield name, f"a verified {self.kind} shows its {name}; it is missing"


# ---------------------------------------------------------------- the clinical files
class Claim(Record):
    """One thing the source article asserts, paraphrased, with our verdict and why."""

    id: Text
    section: Section
    statement: Text
    """the article's claim in our own words"""
    verdict: Verdict
    reason: Text
    """why the verdict, with the evidence"""
    references: Texts = refs()
    believe_if: Text | None = None
    """what evidence would be needed to believe it"""


class Mechanism(Record):
    """One link of the kinetic chain: what is claimed beside what is known."""

    id: Text
    link: Text
    """e.g. `hamstrings → pelvis`"""
    claimed: Text
    """what the article claims"""
    known: Text
    """what is known"""
    evidence_level: EvidenceLevel
    basis: Basis
    claims: Texts = refs("claims")
    """the claims this link bears on"""
    references: Texts = refs()


class Differential(Record):
    """Another condition that heel, arch or forefoot pain can be."""

    id: Text
    name: Text
    features: Text
    """distinguishing features"""
    tests: Text | None = None
    """how it is told apart"""
    references: Texts = refs()


class Symptom(Record):
    """A symptom as the article lists it, and what it really points to."""

    id: Text
    name: Text
    frequency: Frequency
    """as the article lists it"""
    article_says: Text
    suggests: Text
    """what the symptom really points to"""
    differentials: Texts = refs("differentials")
    verdict: Verdict
    reason: Text
    references: Texts = refs()


class RedFlag(Record):
    """A finding that means handing over to a clinician; article items carry a verdict."""

    id: Text
    source: FlagSource
    finding: Text
    suspect: Texts
    """short phrases: what it may be"""
    differentials: Texts = refs("differentials", required=False)
    urgency: Urgency
    action: Text
    """always points to a clinician"""
    verdict: Verdict | None = None
    """required when `source: article`"""
    reason: Text | None = None
    references: Texts = refs()

    def check(self):
        if self.source == "article" and self.verdict is None:
            yield "verdict", "is required when source is 'article'"


class Grade(Record):
    """One guideline's grade for a treatment, and whether we saw that grade ourselves."""

    guideline: Text = ref()
    year: Year
    grade: GuidelineGrade
    verification: Verification


class Treatment(Record):
    """A treatment option: what the article says, guideline grades, evidence, verdict."""

    id: Text
    name: Text
    category: Category
    article_says: Text | None
    """`null` exactly for `missing-from-article`"""
    grades: tuple[Grade, ...]
    evidence: Text
    """summary of the evidence"""
    cautions: Texts = ()
    verdict: Verdict
    references: Texts = refs()

    def check(self):
        if (self.category == "missing-from-article") != (self.article_says is None):
            yield "article_says", "must be null exactly when category is 'missing-from-article'"


Weeks = Annotated[Num, Field(ge=0, le=520)]


class RecoveryPhase(Record):
    """A step of the article's recovery plan, a tip, or what cohorts and pathways say instead."""

    id: Text
    kind: RecoveryKind
    label: Text
    weeks_from: Weeks | None = None
    """weeks from the start"""
    weeks_to: Weeks | None = None
    """not before `weeks_from`"""
    article_says: Text | None = None
    evidence_says: Text
    verdict: Verdict
    references: Texts = refs()

    def check(self):
        if None not in (self.weeks_from, self.weeks_to) and self.weeks_from > self.weeks_to:
            yield "weeks_to", f"{self.weeks_to:g} is before weeks_from {self.weeks_from:g}"


class CohortPoint(Record):
    """One row of cohort_hansen2018.csv: share of patients still symptomatic after some years."""

    years: Annotated[Num, Field(ge=0, le=100)]
    still_symptomatic_pct: Percent
    reference: Text = ref()


Measure = Annotated[Num, Field(ge=-360, le=360)]  # a test's reading: degrees or centimetres
Spread = Annotated[Num, Field(gt=0, le=360)]  # sd, SEM, MDD: a spread is never zero or negative


class Norm(Record):
    """A normative value or cut-off for a test, by group."""

    group: Group
    mean: Measure | None = None
    """in the test's unit"""
    sd: Spread | None = None
    """standard deviation, never 0 or negative"""
    cutoff: Measure | None = None
    """the value that reads as tight"""
    tight_when: TightWhen | None = None
    """a reading above or below the cut-off is tight"""
    population: Text | None = None
    reference: Text = ref()


class Reliability(Record):
    """Measurement error of a test: ICC (text, may be a range), SEM, MDD."""

    icc: Text | None = None
    """intraclass correlation, a number or a range, e.g. `"0.23-0.79"`"""
    sem: Spread | None = None
    """standard error of measurement"""
    mdd: Spread | None = None
    """minimal detectable difference"""
    population: Text | None = None
    reference: Text = ref()

    def check(self):
        for part in re.findall(r"\d*\.?\d+", self.icc or ""):
            if not 0 <= float(part) <= 1:
                yield "icc", f"{self.icc!r}: an ICC lies between 0 and 1"


class Accuracy(Record):
    """Diagnostic accuracy, percentages as numbers (0-100)."""

    sensitivity: Percent | None = None
    """percent"""
    specificity: Percent | None = None
    """percent"""
    population: Text | None = None
    reference: Text = ref()


class Conversion(Record):
    """A published factor turning a test's raw unit into another, e.g. lunge cm to degrees."""

    factor: Annotated[Num, Field(gt=0, le=1000)]
    from_unit: Text
    to_unit: Text
    reference: Text = ref()


class Assessment(Record):
    """A clinical test: how it is done, how its number is read, norms, reliability, accuracy."""

    id: Text
    name: Text
    procedure: Text
    measures: Text
    convention: Text
    """how the number is read, e.g. `deficit from full knee extension, degrees`"""
    unit: Text
    norms: tuple[Norm, ...]
    reliability: tuple[Reliability, ...] = ()
    accuracy: tuple[Accuracy, ...] = ()
    conversion: Conversion | None = None
    """a published factor to another unit, e.g. lunge cm to degrees"""
    cautions: Texts = ()
    references: Texts = refs()


class GlossaryTerm(Record):
    """A word a lesson uses, defined in plain language."""

    id: Text
    term: Text
    definition: Text
    references: Texts = refs(required=False, least=0)


class Level(Record):
    level: EvidenceLevelRoman
    meaning: Text


class GradeDefinition(Record):
    grade: GradeLetter
    strength: Text
    basis: Text


class Grading(Record):
    """The JOSPT scheme itself (levels I-V, grades A-F), so lessons can explain a grade."""

    levels: tuple[Level, ...]
    grades: tuple[GradeDefinition, ...]
    verification: Verification
    references: Texts = refs()


# ---------------------------------------------------------------- quiz and cases
Kebab = Annotated[Text, AfterValidator(lambda v: _kebab(v))]


def _kebab(v: str) -> str:
    if not KEBAB.fullmatch(v):
        raise ValueError("ids are lowercase kebab-case, e.g. 'heel-squeeze'")
    return v


OptionId = Annotated[str, Strict(), AfterValidator(_not_blank)]


class QuizOption(Record):
    """One answer option; shown in data order, lettered A, B, C ... (a class votes by letter)."""

    id: Kebab
    """kebab-case, unique in the question"""
    text: Text
    """what the learner reads"""


def _unique_ids(items, what: str):
    seen = set()
    for i, item in enumerate(items):
        if item.id in seen:
            yield f"[{i}].id", f"{item.id!r} is used twice in this {what}"
        seen.add(item.id)


class QuizQuestion(Record):
    """A question; `answer` is an option id (single), a list of option ids (multiple) or a number."""

    id: Text
    lesson: Text = ref("toc")
    """the lesson number, quoted, e.g. `"03"`"""
    type: QuizType
    prompt: Text
    options: tuple[QuizOption, ...] = ()
    """for single/multiple; shown in this order, lettered A, B, C ..."""
    answer: Num | OptionId | tuple[OptionId, ...]
    """an option id (single), a list of option ids (multiple) or a number (numeric)"""
    tolerance: Annotated[Num, Field(ge=0)] | None = None
    """numeric only: how far off still counts as right"""
    explanation: Text
    """shown after every attempt, right or wrong"""
    references: Texts = refs()

    def check(self):
        ids, a = [o.id for o in self.options], self.answer
        for where, message in _unique_ids(self.options, "question"):
            yield "options" + where, message
        if self.type == "numeric":
            if ids or not isinstance(a, float):
                yield "answer", "a numeric question has a number as answer and no options"
            return
        if self.tolerance is not None:
            yield "tolerance", "only a numeric question has a tolerance"
        if len(ids) < 2:
            yield "options", f"a {self.type} question needs at least 2 options"
            return
        single = self.type == "single"
        if not (isinstance(a, str) if single else isinstance(a, tuple) and a):
            yield "answer", "needs " + ("one option id" if single else "a list of option ids")
            return
        picks = (a,) if single else a
        bad = [p for p in picks if p not in ids]
        if bad:
            yield "answer", f"{', '.join(map(repr, bad))} is not an option id ({', '.join(ids)})"
        elif len(set(picks)) != len(picks):
            yield "answer", "lists an option twice"


class CaseChoice(Record):
    id: Kebab
    """kebab-case, unique in the step"""
    label: Text
    correct: Bool
    """exactly the right choices advance the case"""
    feedback: Text
    """the reason, shown whichever choice is picked"""


class CaseStep(Record):
    id: Kebab
    """kebab-case, unique in the case"""
    prompt: Text
    choices: tuple[CaseChoice, ...] = Field(min_length=2)

    def check(self):
        yield from (("choices" + w, m) for w, m in _unique_ids(self.choices, "step"))
        if sum(c.correct for c in self.choices) != 1:
            yield "choices", "exactly one choice must be marked correct"


class Case(Record):
    """A clinical vignette played step by step."""

    id: Text
    title: Text
    vignette: Text
    steps: tuple[CaseStep, ...] = Field(min_length=1)
    outcome: Text
    references: Texts = refs()

    def check(self):
        yield from (("steps" + w, m) for w, m in _unique_ids(self.steps, "case"))


# ---------------------------------------------------------------- the course's own structure
class ArticleItem(Record):
    """One section or item of the source article, mapped to the entries that answer it."""

    id: Text
    """e.g. `causes.1`"""
    section: Section
    label: Text
    """a short label in our words"""
    maps_to: Texts = refs("*", least=1)
    """`kind:id`, e.g. `claims:anterior-pelvic-tilt`"""


class Show(Record):
    """Content a lesson presents (`where` = "column=value,value", or all of the kind) and the call
    in the lesson that presents it; a test follows these from the article map to the lessons."""

    kind: Text
    where: Text | None = None
    via: Text


class Lesson(Record):
    number: Text
    """two digits, quoted, e.g. `"03"`"""
    file: Text
    title: Text
    minutes: Annotated[Num, Field(gt=0, le=240)]
    """time a learner needs"""
    summary: Text
    shows: tuple[Show, ...] = ()
    """content the lesson presents (a test follows the article map to the lessons)"""

    def check(self):
        if not re.fullmatch(r"\d\d", self.number):
            yield "number", f'{self.number!r} should be two digits, quoted, e.g. "03"'


# ---------------------------------------------------------------- anatomy.yaml
class Structure(Record):
    """One selectable part of the diagram: where it starts and ends, what it crosses, what it does."""

    id: Text
    name: Text
    kind: StructureKind
    group: Text | None = None
    origin: Text | None = None
    insertion: Text | None = None
    joints: Texts
    """joints it crosses"""
    biarticular: Bool | None
    """muscles only: crosses two joints (`true`) or one (`false`)"""
    role: Text
    relevance: Text | None = None
    references: Texts = refs()

    def check(self):
        if not KEBAB.fullmatch(self.id):
            yield "id", "ids are lowercase kebab-case, e.g. 'soleus'"
        if self.kind != "landmark":
            for name in ("origin", "insertion"):
                if getattr(self, name) is None:
                    yield name, f"is required for a {self.kind}"
        if self.kind == "muscle" and self.biarticular is None:
            yield "biarticular", "a muscle is either true (crosses two joints) or false"
        if self.kind != "muscle" and self.biarticular is not None:
            yield "biarticular", f"must be null for a {self.kind} (only muscles are classed)"
        if self.biarticular and len(self.joints) < 2:
            yield "joints", "a biarticular muscle crosses at least two joints"
        if self.biarticular is False and len(self.joints) != 1:
            yield "joints", "a one-joint muscle lists exactly one joint"


class Statement(Record):
    """A sentence or two the widget shows, with its references."""

    text: Text
    references: Texts = refs()


class PelvicTilt(Record):
    """What the tilt slider says: the pull, when it shows, each direction, and the article's claim."""

    claim: Text = ref("claims")
    mechanism: Text = ref("mechanisms")
    pull: Statement
    when: Statement
    posterior: Statement
    neutral: Statement
    anterior: Statement


class AnatomyFile(Record):
    """anatomy.yaml as a whole: the diagram's structures and the tilt slider's texts."""

    structures: tuple[Structure, ...] = Field(min_length=1)
    pelvic_tilt: PelvicTilt


# ---------------------------------------------------------------- gait/*.csv (one row model each)
class FirstMtpRow(Record):
    """first_mtp_dorsiflexion.csv: peak big-toe dorsiflexion in late stance, by walking speed."""

    speed: Text
    mean_deg: Annotated[Num, Field(ge=0, le=120)]
    sd_deg: Annotated[Num, Field(gt=0, le=60)]


class HamstringFitRow(Record):
    """hamstring_length_fit.csv: length (m) as a quadratic in hip and knee angle, per muscle."""

    muscle: Kebab
    label: Text
    l0_model_m: Annotated[Num, Field(gt=0, le=2)]
    c0: Annotated[Num, Field(gt=0, le=2)]
    c1: Num
    c2: Num
    c3: Num
    c4: Num
    c5: Num
    rmse_mm: Annotated[Num, Field(ge=0, le=100)]
    hip_min_deg: Degrees
    hip_max_deg: Degrees
    knee_min_deg: Degrees
    knee_max_deg: Degrees

    def check(self):
        for joint in ("hip", "knee"):
            if getattr(self, f"{joint}_min_deg") >= getattr(self, f"{joint}_max_deg"):
                yield f"{joint}_max_deg", f"must be above {joint}_min_deg"


class HartyRow(Record):
    """harty2005_forefoot.csv: loading-phase shares with the knee braced at a fixed angle."""

    knee_flexion_deg: Annotated[Num, Field(ge=0, le=150)]
    forefoot_phase_pct: Percent
    heel_contact_phase_pct: Percent


class HawkinsHullRow(Record):
    """hawkins_hull1990.csv: calf length / shank length as a linear-quadratic fit, per muscle."""

    muscle: Kebab
    label: Text
    c0: Annotated[Num, Field(gt=0, le=2)]
    c1: Num
    c2: Num
    c3: Num
    c4: Num
    ankle_min_deg: Annotated[Num, Field(ge=0, le=180)]
    ankle_max_deg: Annotated[Num, Field(ge=0, le=180)]

    def check(self):
        if self.ankle_min_deg >= self.ankle_max_deg:
            yield "ankle_max_deg", "must be above ankle_min_deg"


class ModelParameterRow(Record):
    """model_parameters.csv: one named parameter of the model, with unit, basis and sources."""

    name: Text
    value: Num
    unit: Text
    basis: ValueBasis
    references: Text = ref("references;")  # ids separated by ';'
    note: Text


class PerryRow(Record):
    """perry_phase_values.csv: a textbook joint-angle range at a gait event."""

    event: Kebab
    percent_cycle: Percent | None = None
    joint: Joint
    min_deg: Degrees
    max_deg: Degrees
    note: Text

    def check(self):
        if self.min_deg > self.max_deg:
            yield "max_deg", f"{self.max_deg} is below min_deg {self.min_deg}"


class WinterRow(Record):
    """winter_table_a1_processed.csv: sagittal joint angles at one percent of the gait cycle."""

    percent_cycle: Percent
    hip_trunk_ref_deg: Degrees
    thigh_vs_vertical_deg: Degrees
    knee_flexion_deg: Degrees
    ankle_dorsiflexion_deg: Degrees


#: Every table in data/gait/ and the model of its rows; a table not listed here is an error.
GAIT_TABLES: dict[str, type[Record]] = {
    "first_mtp_dorsiflexion.csv": FirstMtpRow,
    "hamstring_length_fit.csv": HamstringFitRow,
    "harty2005_forefoot.csv": HartyRow,
    "hawkins_hull1990.csv": HawkinsHullRow,
    "model_parameters.csv": ModelParameterRow,
    "perry_phase_values.csv": PerryRow,
    "winter_table_a1_processed.csv": WinterRow,
}


# ---------------------------------------------------------------- problems and validation
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
        self.cited_raw: set[str] = set()  # reference ids named by entries that failed validation

    def add(self, file, entry, where, message):
        self.problems.append(Problem(file, entry, where, message))


_REPR = reprlib.Repr()  # bounded: never print a huge value whole
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxtuple, _REPR.maxstring = 2, 4, 4, 4, 40


def show(v) -> str:
    """A value as the editor typed it, cut to 40 characters."""
    if isinstance(v, tuple):
        v = list(v)
    r = repr(v) if isinstance(v, (str, int, float, type(None))) else _REPR.repr(v)
    return r if len(r) <= 40 else r[:37] + "..."


def _describe(tp) -> str:
    """An annotation in an editor's words: 'text', 'a number', 'one of a, b' ..."""
    origin, args = t.get_origin(tp), t.get_args(tp)
    if origin is Annotated:
        return _describe(args[0])
    if origin in (t.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _describe(a) for a in args)
    if origin is Literal:
        return "one of " + ", ".join(map(str, args))
    if origin is tuple:
        return "a list"
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, "a mapping"
    )


def _literal(tp) -> tuple | None:
    origin, args = t.get_origin(tp), t.get_args(tp)
    if origin is Literal:
        return args
    if origin in (Annotated, t.Union, types.UnionType, tuple):
        return next(filter(None, map(_literal, args)), None) if args else None
    return None


def _locate(cls, loc) -> tuple[str, FieldInfo | None, Any]:
    """A pydantic error location as our field path ('norms[1].sd'), with the field's info and
    annotation; union branch tags in `loc` (e.g. 'tuple[str, ...]') are skipped."""
    path, info, tp, model = "", None, cls, cls
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            tp = next((a for a in t.get_args(_bare(tp)) if a is not Ellipsis), tp)
            model = _model_in(tp)
        elif model is not None and part in model.model_fields:
            info = model.model_fields[part]
            tp = info.annotation
            path += ("." if path else "") + part
            model = _model_in(tp)
            if _many(tp):
                break  # a union is reported once, at its field: "expected A or B, got ..."
        # else: a union branch or validator tag
    return path, info, tp


def _many(tp) -> bool:
    """A union of several kinds of value (not just `X | None`)."""
    while t.get_origin(tp) is Annotated:
        tp = t.get_args(tp)[0]
    if t.get_origin(tp) not in (t.Union, types.UnionType):
        return False
    return len([a for a in t.get_args(tp) if a is not type(None)]) > 1


def _bare(tp):
    """The annotation without Annotated/Optional wrappers."""
    while True:
        origin, args = t.get_origin(tp), t.get_args(tp)
        if origin is Annotated:
            tp = args[0]
        elif origin in (t.Union, types.UnionType):
            rest = [a for a in args if a is not type(None)]
            if len(rest) != 1:
                return tp
            tp = rest[0]
        else:
            return tp


def _model_in(tp):
    tp = _bare(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


_RANGE = {
    "greater_than": "more than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than": "less than {lt}",
    "less_than_equal": "at most {le}",
}


def _message(err: dict, info: FieldInfo | None, tp, model) -> str:
    """One pydantic error in the words of data/README.md."""
    kind, value = err["type"], err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        return "missing (required)"
    if kind == "extra_forbidden":
        return f"unknown field; expected {', '.join(model.model_fields) if model else '?'}"
    if kind == "literal_error":
        allowed = _literal(tp) or ()
        return f"{show(value)} is not one of {', '.join(map(str, allowed))}"
    if kind in _RANGE:
        return f"{show(value)} is out of range; it must be {_RANGE[kind].format(**ctx)}"
    if kind == "finite_number":
        return f"expected a finite number, got {show(value)}"
    if kind == "too_short":
        extra = (info.json_schema_extra or {}) if info else {}
        if extra.get("x-ref") == "references":
            return "cites nothing; at least one id is required"
        least = ctx.get("min_length", 1)
        return f"is empty; at least {least} {'id is' if extra else 'item is'} required"
    if kind == "model_type" or kind == "model_attributes_type":
        return f"expected a mapping of fields, got {show(value)}"
    if kind == "value_error" and "kebab" in err["msg"]:
        return f"{show(value)}: ids are lowercase kebab-case, e.g. 'heel-squeeze'"
    if kind == "value_error" and "blank" in err["msg"]:
        return f"expected text, got {show(value)}"
    if kind.endswith("_type") or kind.endswith("_parsing") or kind == "value_error":
        return f"expected {_describe(_bare(tp))}, got {show(value)}"
    return f"{show(value)}: {err['msg']}"


def validate(cls, raw, out: Collector, file: str, entry: str | None, path: str = ""):
    """Build `cls` from a parsed YAML mapping (or CSV row), reporting every problem to `out` with
    file, entry and field; then its cross-field checks and cross-references. None if anything
    is wrong."""
    if not isinstance(raw, dict):
        return out.add(file, entry, path or None, f"expected a mapping of fields, got {show(raw)}")
    before = len(out.problems)
    try:
        record = cls.model_validate(raw)
    except ValidationError as e:
        seen, errors = set(), e.errors(include_url=False)
        for err in errors:
            where, info, tp = _locate(cls, err["loc"])
            owner = _owner(cls, err["loc"])
            if err["type"] == "extra_forbidden":
                where = _join(where, str(err["loc"][-1]))
            elif err["type"] == "too_short" and any(
                o["loc"][: len(err["loc"])] == err["loc"] and o is not err for o in errors
            ):
                continue  # items that failed are not "missing": their own errors say why
            if where in seen:
                continue  # one problem per field (a union reports each branch)
            seen.add(where)
            if _many(tp) and err["type"] not in ("missing", "extra_forbidden"):
                value = _value_at(raw, err["loc"][: _depth(cls, err["loc"])])
                message = f"expected {_describe(tp)}, got {show(value)}"
            else:
                message = _message(err, info, tp, owner)
            out.add(file, entry, _join(path, where) or None, message)
        return None
    for sub, node in walk(record):
        for where, message in node.check():
            out.add(file, entry, _join(path, _join(sub, where)), message)
        for name, info in type(node).model_fields.items():
            kind = (info.json_schema_extra or {}).get("x-ref")
            value = getattr(node, name)
            if kind is None or value is None:
                continue
            if kind == "references;":
                for part in value.split(";"):
                    out.refs.append(("references", part.strip(), file, entry, _join(path, name)))
            elif isinstance(value, tuple):
                for i, x in enumerate(value):
                    out.refs.append((kind, x, file, entry, _join(path, _join(sub, f"{name}[{i}]"))))
            else:
                out.refs.append((kind, value, file, entry, _join(path, _join(sub, name))))
    return record if len(out.problems) == before else None


def _join(a: str, b: str) -> str:
    return b if not a else a if not b else a + b if b.startswith("[") else f"{a}.{b}"


def _owner(cls, loc):
    """The model that holds the last field of `loc` (for 'unknown field; expected ...')."""
    model, tp = cls, cls
    for part in loc[:-1]:
        if isinstance(part, int):
            tp = next((a for a in t.get_args(_bare(tp)) if a is not Ellipsis), tp)
            model = _model_in(tp) or model
        elif model is not None and part in model.model_fields:
            tp = model.model_fields[part].annotation
            model = _model_in(tp) or model
    return model


def _depth(cls, loc) -> int:
    """How many parts of `loc` lead to the first union field (the rest are branch details)."""
    model, tp = cls, cls
    for n, part in enumerate(loc, 1):
        if isinstance(part, int):
            tp = next((a for a in t.get_args(_bare(tp)) if a is not Ellipsis), tp)
            model = _model_in(tp)
        elif model is not None and part in model.model_fields:
            tp = model.model_fields[part].annotation
            model = _model_in(tp)
            if _many(tp):
                return n
    return len(loc)


def _value_at(raw, loc):
    node = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return node


def walk(record: BaseModel, path: str = ""):
    """(path, model) for the record and every model nested in it, depth first."""
    yield path, record
    for name in type(record).model_fields:
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            yield from walk(value, _join(path, name))
        elif isinstance(value, tuple):
            for i, x in enumerate(value):
                if isinstance(x, BaseModel):
                    yield from walk(x, _join(path, f"{name}[{i}]"))


def fields(cls) -> tuple[str, ...]:
    """The field names of a record class, in order (the columns of its DataFrame)."""
    return tuple(cls.model_fields)


def required(cls, name: str) -> bool:
    return cls.model_fields[name].is_required()


def ref_kind(cls, name: str) -> str | None:
    return (cls.model_fields[name].json_schema_extra or {}).get("x-ref")


def annotation(cls, name: str):
    return cls.model_fields[name].annotation


def is_finite_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
