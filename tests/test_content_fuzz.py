"""Content that educators edit (issue 7, point 3): a mutated content file gives a ContentError that
names the file (and the field), never another exception, a hang or a changed file.

Why fuzz the real data: an educator edits data/ by hand, and the typos that matter are the ones
nobody wrote a fixture for. The real data directory is copied once; each case mutates ONE file
(a deleted field, a wrong type, an unknown or duplicate id, broken YAML or CSV, non-UTF-8 bytes,
a huge value, an empty file, a list swapped for a mapping, a `!!python/object` tag, an alias
bomb), loads the copy, checks the outcome and restores the file. Mutations are drawn from a fixed
seed (set HAMFOOT_FUZZ_SEED / HAMFOOT_FUZZ_CASES to explore further), so a failure is reproducible.
"""

from __future__ import annotations

import copy
import dataclasses as dc
import hashlib
import math
import os
import random
import shutil
import subprocess
import sys
import time
import types
import typing as t
from pathlib import Path

import pydantic
import pytest
import yaml

from hamfoot import anatomy, content, schema
from hamfoot.content import ContentError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CASES = int(os.environ.get("HAMFOOT_FUZZ_CASES", 520))
SEED = int(os.environ.get("HAMFOOT_FUZZ_SEED", 7))
SLOW = 3.0  # seconds: a mutated file that takes longer than this to load is a hang in class

KINDS = {name: kind for kind, (name, _) in content.FILES.items()}  # file name -> kind


def others(folder: Path) -> list[str]:
    """Files load() reads only for citations (validated by the modules that own them)."""
    return sorted(
        p.relative_to(folder).as_posix()
        for p in [*folder.glob("*.yaml"), *folder.glob("gait/*.csv")]
        if p.name not in KINDS
    )


# ---------------------------------------------------------------- helpers
def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def accepts(tp) -> set[str]:
    """Which kinds of YAML value a schema annotation accepts (the spec in data/README.md)."""
    origin = t.get_origin(tp)
    if origin is t.Annotated:
        return accepts(t.get_args(tp)[0])
    if origin in (t.Union, types.UnionType):
        return set().union(*(accepts(a) for a in t.get_args(tp)))
    if tp is type(None):
        return {"null"}
    if origin is t.Literal:
        return {"literal"}
    if origin is tuple:
        return {"list"}
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return {"map"}
    return {str: {"str", "int"}, int: {"int"}, float: {"int", "float"}, bool: {"bool"}}[tp]


WRONG = {
    "map": {"unexpected": "mapping"},
    "list": ["unexpected", "list"],
    "str": "unexpected text",
    "float": 3.25,
    "bool": True,
    "null": None,
}


@dc.dataclass
class Case:
    file: str  # relative to the data folder
    mutation: str
    data: bytes
    must_fail: bool = False
    field: str | None = None  # a problem must name this field (or a sub-field of it)


def dump(doc) -> bytes:
    return yaml.dump(
        doc, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100
    ).encode("utf-8")


def entry_schema(kind: str):
    cls = content.FILES[kind][1]
    return cls, {name: f.annotation for name, f in cls.model_fields.items()}


# ---------------------------------------------------------------- mutations
def structural(case_file: str, original: bytes, rng: random.Random, how: str) -> Case | None:
    """Edit one entry of a content YAML file the way a person might, and say what must happen."""
    kind = KINDS[case_file]
    doc = yaml.load(original, Loader=yaml.CSafeLoader)
    entries = [doc] if kind == "grading" else doc
    if not entries:
        return None
    i = rng.randrange(len(entries))
    entry, (cls, hints) = entries[i], entry_schema(kind)
    present = sorted(entry)
    name = rng.choice(present)
    wanted = accepts(hints[name]) if name in hints else set()
    key = content.KEYS[kind]
    if how == "delete-field":
        del entry[name]
        required = schema.required(cls, name)
        return Case(
            case_file,
            f"{how} {name!r} of entry #{i}",
            dump(doc),
            required,
            name if required else None,
        )
    if how == "wrong-type":
        pick = rng.choice([k for k in WRONG if k not in wanted and k != "null"])
        entry[name] = copy.deepcopy(WRONG[pick])
        return Case(
            case_file, f"{how} {name!r}={WRONG[pick]!r} in entry #{i}", dump(doc), True, name
        )
    if how == "unknown-id":
        refs = [n for n in present if schema.ref_kind(cls, n)]
        if not refs:
            return None
        name = rng.choice(refs)
        target = schema.ref_kind(cls, name)
        bad = ("claims:" if target == "*" else "") + "no-such-id-" + str(rng.randrange(1000))
        entry[name] = [*entry[name], bad] if isinstance(entry[name], list) else bad
        return Case(case_file, f"{how} {bad!r} in {name!r} of entry #{i}", dump(doc), True, name)
    if how == "duplicate-id":
        if not key or kind == "grading":
            return None
        doc.insert(i + 1, copy.deepcopy(entry))
        return Case(case_file, f"{how} of entry #{i}", dump(doc), True, key)
    if how == "unknown-field":
        entry["colour_of_the_sky"] = "blue"
        return Case(case_file, f"{how} in entry #{i}", dump(doc), True, "colour_of_the_sky")
    if how == "null-field":
        entry[name] = None
        return Case(
            case_file,
            f"{how} {name!r} of entry #{i}",
            dump(doc),
            "null" not in wanted,
            name if "null" not in wanted else None,
        )
    if how == "list-mapping-swap":
        swapped = list(doc.items()) if kind == "grading" else {"entries": doc}
        return Case(case_file, how, dump(swapped), True)
    if how == "entry-not-mapping":
        if kind == "grading":
            return None
        doc[i] = rng.choice(["just a sentence", ["a", "list"], 42, None])
        return Case(case_file, f"{how} #{i}={doc[i]!r}", dump(doc), True)
    if how == "huge-string":
        entry[name] = "very long text " * 70_000  # about a megabyte
        return Case(case_file, f"{how} in {name!r} of entry #{i}", dump(doc))
    if how == "huge-number":
        value = rng.choice([1e308, -1e308, 10**40, -(10**400), math.inf, -math.inf, math.nan, 0.0])
        entry[name] = value
        return Case(case_file, f"{how} {name!r}={value!r} in entry #{i}", dump(doc))
    raise AssertionError(how)


def bomb(depth: int) -> bytes:
    """An alias bomb: a few hundred bytes that name 10**(depth+1) strings."""
    lines = ["- id: alias-bomb", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"  a{d}: &a{d} [" + ", ".join([f"*a{d - 1}"] * 10) + "]" for d in range(1, depth + 1)
    ]
    return ("\n".join(lines) + f"\n  statement: *a{depth}\n  references: *a{depth}\n").encode()


def textual(
    case_file: str, original: bytes, rng: random.Random, how: str, sentinel: Path, checked: bool
) -> Case | None:
    """Byte-level damage: what a bad editor, a bad merge or a bad copy does to a file. `checked`:
    the loader under test validates this file (so damage must be reported)."""
    is_csv = case_file.endswith(".csv")
    mapping = case_file == "grading.yaml" or case_file not in KINDS  # a mapping at the top
    lines = original.splitlines(keepends=True)
    at = rng.randrange(len(lines) + 1)
    if how == "broken-syntax":
        if is_csv:
            data = original.replace(b"\n", b'\n"unclosed, quote\n', 1)
            return Case(case_file, how, data)
        tail = rng.choice(
            [b"oops: [unclosed\n", b"- {a: 1\n", b'- "unterminated\n', b"\t- tab: indent\n"]
        )
        return Case(case_file, f"{how} {tail!r} at end", original + b"\n" + tail, checked)
    if how == "broken-line":
        snippet = rng.choice(
            [b"  - [unclosed\n", b": : :\n", b"- a: b\n c: d\n", b"]]]\n", b"*undefined\n"]
        )
        return Case(
            case_file,
            f"{how} {snippet!r} at line {at}",
            b"".join([*lines[:at], snippet, *lines[at:]]),
        )
    if how == "non-utf8":
        pos = rng.randrange(len(original) + 1)
        bad = rng.choice([b"\xff", b"\xc3(", b"\xe2\x82", b"\x80"])
        return Case(
            case_file,
            f"{how} {bad!r} at byte {pos}",
            original[:pos] + bad + original[pos:],
            checked,
        )
    if how == "utf16":
        return Case(case_file, how, original.decode("utf-8").encode("utf-16"), checked)
    if how == "empty":
        return Case(case_file, how, rng.choice([b"", b"\n", b"# only a comment\n"]), checked)
    if how == "truncated":
        cut = rng.randrange(len(original))
        return Case(case_file, f"{how} at byte {cut}", original[:cut])
    if how == "nul-byte":
        return Case(
            case_file,
            f"{how} at line {at}",
            b"".join([*lines[:at], b"x\x00y\n", *lines[at:]]),
            checked and not is_csv,
        )
    if how == "python-tag":
        if is_csv:
            return None
        tag = rng.choice(["!!python/object/apply:os.mkdir", "!!python/object/new:os.mkdir"])
        data = f"{'evil:' if mapping else '-'} {tag} [{str(sentinel)!r}]\n".encode() + original
        return Case(case_file, f"{how} {tag}", data, checked)
    if how == "huge-digits":  # more digits than Python will turn into an int by default
        digits = "9" * 5000
        if is_csv:
            return Case(
                case_file,
                how,
                original.replace(b"\n", f"\n{digits},{digits},x\n".encode(), 1),
                checked,
            )
        return Case(
            case_file,
            how,
            (f"huge: {digits}\n" if mapping else f"- id: huge\n  year: {digits}\n").encode()
            + original,
            checked,
        )
    if how == "alias-bomb":
        if is_csv:
            return None
        if mapping:
            data = (
                b"bomb:\n"
                + b"".join(b"  " + line + b"\n" for line in bomb(6).splitlines())
                + original
            )
        else:
            data = bomb(6) + original
        return Case(case_file, how, data, checked)
    raise AssertionError(how)


def csv_case(case_file: str, original: bytes, rng: random.Random, how: str) -> Case | None:
    """Cell-level edits of the cohort table (the CSV content file)."""
    text = original.decode("utf-8")
    lines = text.splitlines()
    rows = [n for n, line in enumerate(lines) if line.strip() and not line.startswith("#")]
    header, body = rows[0], rows[1:]
    n = rng.choice(body)
    cells = lines[n].split(",")
    if how == "delete-field":
        col = rng.randrange(len(cells))
        for r in rows:
            lines[r] = ",".join(c for j, c in enumerate(lines[r].split(",")) if j != col)
        return Case(
            case_file, f"{how} column {col}", "\n".join(lines).encode() + b"\n", True, "header"
        )
    if how == "wrong-type":
        col = rng.randrange(2)
        cells[col] = rng.choice(["soon", "", "12 %", "n/a"])
        lines[n] = ",".join(cells)
        name = lines[header].split(",")[col]
        return Case(
            case_file,
            f"{how} {name}={cells[col]!r} line {n + 1}",
            "\n".join(lines).encode(),
            True,
            name,
        )
    if how == "unknown-id":
        cells[2] = "no-such-reference"
        lines[n] = ",".join(cells)
        return Case(case_file, f"{how} line {n + 1}", "\n".join(lines).encode(), True, "reference")
    if how == "huge-number":
        cells[rng.randrange(2)] = rng.choice(["1e400", "-1e400", "nan", "inf", "9" * 400])
        lines[n] = ",".join(cells)
        return Case(case_file, f"{how} line {n + 1}: {lines[n][:60]}", "\n".join(lines).encode())
    if how == "extra-cell":
        lines[n] += rng.choice([",extra", ",", ',"quoted, extra"'])
        return Case(case_file, f"{how} line {n + 1}", "\n".join(lines).encode())
    if how == "missing-cell":
        lines[n] = ",".join(cells[: rng.randrange(len(cells))])
        return Case(case_file, f"{how} line {n + 1}", "\n".join(lines).encode())
    if how == "list-mapping-swap":  # columns in another order
        lines[header] = ",".join(reversed(lines[header].split(",")))
        return Case(case_file, how, "\n".join(lines).encode(), True, "header")
    return None


STRUCTURAL = [
    "delete-field",
    "wrong-type",
    "unknown-id",
    "duplicate-id",
    "unknown-field",
    "null-field",
    "list-mapping-swap",
    "entry-not-mapping",
    "huge-string",
    "huge-number",
]
CSV = [
    "delete-field",
    "wrong-type",
    "unknown-id",
    "huge-number",
    "extra-cell",
    "missing-cell",
    "list-mapping-swap",
]
TEXTUAL = [
    "broken-syntax",
    "broken-line",
    "non-utf8",
    "utf16",
    "empty",
    "truncated",
    "nul-byte",
    "python-tag",
    "alias-bomb",
    "huge-digits",
]


def plan(folder: Path, rng: random.Random):
    """(file, family, mutation) triples: every one once, then random ones, forever."""
    pairs = []
    for name in sorted(KINDS):
        family = CSV if name.endswith(".csv") else STRUCTURAL
        pairs += [(name, "csv" if name.endswith(".csv") else "structural", how) for how in family]
        pairs += [(name, "textual", how) for how in TEXTUAL]
    pairs += [(name, "textual", how) for name in others(folder) for how in TEXTUAL]
    yield from pairs
    while True:
        yield rng.choice(pairs)


def make(
    pair, original: bytes, rng: random.Random, sentinel: Path, checked: set[str]
) -> Case | None:
    name, family, how = pair
    if family == "structural":
        return structural(name, original, rng, how)
    if family == "csv":
        return csv_case(name, original, rng, how)
    return textual(name, original, rng, how, sentinel, name in checked)


def outcome(root: Path, load) -> tuple[ContentError | None, str | None, float]:
    """Load `root` afresh; (the ContentError or None, a description of any OTHER exception, seconds)."""
    content.load.cache_clear()
    anatomy.load.cache_clear()
    start = time.perf_counter()
    try:
        load(root)
        return None, None, time.perf_counter() - start
    except ContentError as e:
        return e, None, time.perf_counter() - start
    except BaseException as e:  # noqa: BLE001 - the point is to catch anything else
        if isinstance(e, KeyboardInterrupt):
            raise
        return None, f"{type(e).__name__}: {str(e)[:300]}", time.perf_counter() - start


def judge(
    case: Case,
    root: Path,
    error: ContentError | None,
    other: str | None,
    seconds: float,
    checked: set[str],
) -> list[str]:
    """Every way this case's outcome breaks the contract (empty when it keeps it)."""
    wrong = []
    if other:
        wrong.append(f"raised {other}")
    if seconds > SLOW:
        wrong.append(f"took {seconds:.1f} s to load")
    if error is None:
        if case.must_fail and not other:
            wrong.append("loaded without a ContentError")
        return wrong
    label = f"{root.name}/{case.file}"
    problems = error.problems
    if not problems or not all(str(p) and p.file for p in problems):
        wrong.append(f"a problem without a file: {problems!r}")
    if "Traceback" in str(error):
        wrong.append("the message holds a traceback")
    if case.file in checked and case.must_fail and not any(p.file == label for p in problems):
        wrong.append(f"no problem names {label}: {[str(p) for p in problems][:5]}")
    if case.field and not any(
        p.file == label
        and p.field
        and (p.field == case.field or p.field.startswith((f"{case.field}[", f"{case.field}.")))
        for p in problems
    ):
        wrong.append(f"no problem names field {case.field!r}: {[str(p) for p in problems][:5]}")
    return wrong


# ---------------------------------------------------------------- fast parsing of untouched files
@pytest.fixture
def parse_once(monkeypatch):
    """Parse each UNCHANGED file's text once across cases (a mutated file is always parsed anew).

    Why: a full load parses all of data/ (about 0.1 s); hundreds of cases would otherwise spend
    their time re-reading files nobody changed. The loader's own logic still runs on every case;
    only PyYAML's result for identical text is reused, which is safe because the loader never
    mutates what it parsed (checked here: a cached result must equal a fresh parse afterwards).
    """
    cache: dict[str, object] = {}
    real = content.parse_yaml

    def parse(text):
        if text not in cache:
            cache[text] = real(text)  # may raise: errors are never cached
        return cache[text]

    monkeypatch.setattr(content, "parse_yaml", parse)
    yield cache
    for text, parsed in list(cache.items())[:40]:
        assert parsed == real(text), "the loader mutated parsed YAML"


# ---------------------------------------------------------------- tests
def fuzz(tmp_path: Path, pairs, cases: int, load, checked: set[str]) -> tuple[int, list[str], dict]:
    """Run `cases` mutations from `pairs` on a copy of data/, each loaded with `load`; returns the
    number checked, every broken promise, and one copied data folder per mutation that failed."""
    real_before, sentinel = digest(DATA), tmp_path / "constructed-by-yaml"
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    rng, failures, done, kept = random.Random(SEED), [], 0, {}
    for pair in pairs(root, rng):
        if done >= cases:
            break
        path = root / pair[0]
        original = path.read_bytes()
        case = make(pair, original, rng, sentinel, checked)
        if case is None:
            continue
        path.write_bytes(case.data)
        before = digest(root)
        error, other, seconds = outcome(root, load)
        done += 1
        wrong = judge(case, root, error, other, seconds, checked)
        if digest(root) != before:
            wrong.append("loading changed a file in the data folder")
        if sentinel.exists():
            wrong.append("a !!python tag constructed an object (os.mkdir ran)")
            sentinel.rmdir()
        failures += [f"{case.file} — {case.mutation}: {w}" for w in wrong]
        if error is not None and case.must_fail and pair[2] not in kept:  # one of each for `check`
            kept[pair[2]] = shutil.copytree(root, tmp_path / "check" / pair[2] / "data")
        path.write_bytes(original)
    assert digest(DATA) == real_before, "the real data/ changed"
    return done, failures, kept


def check_reports(folder: Path, file: str) -> None:
    """`python -m hamfoot check --root folder`: exit 1, the damaged file named, no traceback."""
    done = subprocess.run(
        [sys.executable, "-m", "hamfoot", "check", "--root", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-2000:]
    assert "Traceback" not in output, output[-2000:]
    assert f"{folder.name}/{file}" in done.stderr and "problem" in done.stderr, output[-2000:]


def test_mutated_content_raises_only_content_error(tmp_path, parse_once):
    """At least 500 mutated copies of data/: only ContentError, naming the file and field; never
    a hang, a constructed object or a changed file; `python -m hamfoot check` exits 1 on them."""
    checked, failures, kept = fuzz(tmp_path, plan, CASES, content.load, set(KINDS))
    assert checked >= 500, f"only {checked} mutated content sets were checked"
    assert not failures, f"{len(failures)} of {checked} cases broke the contract:\n" + "\n".join(
        failures[:60]
    )
    for how in ["broken-syntax", "non-utf8", "wrong-type", "python-tag", "list-mapping-swap"]:
        check_reports(kept[how], "")


def test_damaged_anatomy_file_raises_only_content_error(tmp_path, parse_once):
    """anatomy.yaml (validated by hamfoot.anatomy and by `check`) under the same byte-level damage."""

    def pairs(root, rng):
        every = [("anatomy.yaml", "textual", how) for how in TEXTUAL]
        yield from every
        while True:
            yield rng.choice(every)

    checked, failures, kept = fuzz(tmp_path, pairs, 40, anatomy.load, {"anatomy.yaml"})
    assert not failures, f"{len(failures)} of {checked} cases broke the contract:\n" + "\n".join(
        failures
    )
    for how in ["broken-syntax", "python-tag", "empty"]:
        assert how in kept, f"anatomy.yaml {how}: loaded without a ContentError"
        check_reports(kept[how], "anatomy.yaml")


def test_yaml_tags_never_construct_objects(tmp_path):
    """`!!python/...` tags in any content file are refused, and nothing runs."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    sentinel = tmp_path / "constructed"
    (root / "claims.yaml").write_bytes(
        f"- !!python/object/apply:os.mkdir [{str(sentinel)!r}]\n".encode()
        + (root / "claims.yaml").read_bytes()
    )
    content.load.cache_clear()
    with pytest.raises(ContentError) as caught:
        content.load(root)
    assert not sentinel.exists()
    assert any(p.file == "data/claims.yaml" and "YAML" in p.message for p in caught.value.problems)


@pytest.fixture
def scripted_content(tmp_path, monkeypatch):
    """The shipped content with a <script> in a symptom's name and in a claim's statement, served
    as the package's own content (widgets load the installed data)."""
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    script = "<script>alert('hamfoot')</script>"
    for name, key in [("symptoms.yaml", "name"), ("claims.yaml", "statement")]:
        doc = yaml.safe_load((root / name).read_text(encoding="utf-8"))
        target = (
            doc[0] if name == "symptoms.yaml" else next(c for c in doc if c["section"] == "causes")
        )
        target[key] = f"{script} {target[key]}"
        (root / name).write_bytes(dump(doc))
    real_load = content.load
    monkeypatch.setattr(
        content, "load", lambda root_=None: real_load(root if root_ is None else root_)
    )
    content.load.cache_clear = real_load.cache_clear
    real_load.cache_clear()
    yield script
    real_load.cache_clear()


def test_script_in_content_shows_as_text_in_widgets(scripted_content):
    """Every option of the widgets showing symptom names and claim statements: escaped text."""
    import ipywidgets as w

    from hamfoot.widgets.causes import cause_walkthrough
    from hamfoot.widgets.symptoms import symptom_explorer

    def tree(widget) -> list:
        found, stack = [], [widget]
        while stack:
            found.append(stack.pop())
            stack.extend(getattr(found[-1], "children", ()))
        return found

    def shown(widget) -> str:
        return "\n".join(node.value for node in tree(widget) if isinstance(node, w.HTML))

    for build in (symptom_explorer, cause_walkthrough):
        widget, pages = build(), []
        chooser = next(c for c in tree(widget) if isinstance(c, w.Dropdown))
        for i in range(len(chooser.options)):
            chooser.index = i
            pages.append(shown(widget))
        every = "\n".join(pages)
        assert "&lt;script&gt;alert(" in every, f"{build.__name__}: the script text is never shown"
        assert "<script" not in every.lower(), f"{build.__name__}: unescaped <script> in the HTML"
