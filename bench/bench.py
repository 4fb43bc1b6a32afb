"""Measure hamfoot against its speed budgets and write the table to bench/RESULTS.md (`make bench`).

Why budgets and not just numbers: in class, a widget that lags or a lesson that takes minutes to
check loses the room. Each row is measured on the machine it runs on, as a median and a worst case
over repeated runs, and judged PASS/FAIL against a budget that is stated relative to a floor
measured in the same run (importing the dependencies, a bare kernel start) wherever the machine's
speed would otherwise decide the verdict.

Usage: python bench/bench.py [--quick] [--only import,model,widgets,nbval,first-start,browser]
       [--strict] [--no-browser-run]
Runs offline. Exits 0 even when a budget fails (the table says FAIL) unless --strict is given.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import typing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
BROWSER_TIMINGS = ROOT / "build" / "browser-timings.json"
NBVAL = [
    "--nbval",
    "--nbval-current-env",
    "--nbval-sanitize-with",
    str(ROOT / "tests" / "nbval_sanitize.cfg"),
    "-p",
    "no:cacheprovider",
    "-q",
]
SECTIONS = ("import", "model", "widgets", "nbval", "first-start", "browser")


@dataclass
class Row:
    """One measured quantity: median, an upper figure (p95 or worst), its budget and verdict."""

    section: str
    what: str
    median: str
    worst: str
    budget: str
    verdict: str  # PASS, FAIL or "—" (measured for reference, no budget)
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, *args, **kw) -> None:
        row = Row(*args, **kw)
        self.rows.append(row)
        print(
            f"  {row.verdict:<4} {row.what}: median {row.median}, worst {row.worst} "
            f"(budget {row.budget}) {row.note}",
            flush=True,
        )


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms" if seconds < 0.01 else f"{seconds * 1e3:.1f} ms"


def sec(seconds: float) -> str:
    """Seconds for start-up scale figures; milliseconds when under a tenth of a second."""
    return f"{seconds:.2f} s" if seconds >= 0.1 else ms(seconds)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def env() -> dict[str, str]:
    """The environment `make` gives every command (deterministic figures, no network needed)."""
    return {
        **os.environ,
        "MATPLOTLIBRC": str(ROOT / "tests" / "mplrc"),
        "SOURCE_DATE_EPOCH": "0",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


# ---------------------------------------------------------------- import
IMPORTS = {  # label -> statement timed inside a fresh interpreter
    "floor": "import pandas, ipywidgets",
    "hamfoot": "import hamfoot",
    "content": "import hamfoot.content; hamfoot.content.load()",
}


def time_in_fresh_python(statement: str) -> float:
    """Seconds spent running `statement` in a new interpreter (start-up itself excluded, since a
    kernel is already running when a lesson's first cell imports hamfoot)."""
    code = "import time; t = time.perf_counter()\n" + statement + "\nprint(time.perf_counter() - t)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env(),
        check=True,
    )
    return float(out.stdout.split()[-1])


def bench_import(report: Report, runs: int) -> None:
    print(f"import: {runs} fresh interpreters per statement, interleaved", flush=True)
    samples: dict[str, list[float]] = {k: [] for k in IMPORTS}
    for _ in range(runs):  # interleaved, so a busy moment hits every statement alike
        for label, statement in IMPORTS.items():
            samples[label].append(time_in_fresh_python(statement))
    floor = statistics.median(samples["floor"])
    report.add(
        "import", f"floor: `{IMPORTS['floor']}`", sec(floor), sec(max(samples["floor"])), "—", "—"
    )
    for label in ("hamfoot", "content"):
        med = statistics.median(samples[label])
        report.add(
            "import",
            f"`{IMPORTS[label]}`",
            sec(med),
            sec(max(samples[label])),
            "≤ floor + 0.10 s",
            verdict(med <= floor + 0.1),
            f"{med / floor:.2f} × floor ({med - floor:+.2f} s)",
        )


# ---------------------------------------------------------------- model
def timed(func, repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def bench_model(report: Report, repeats: int) -> None:
    import numpy as np

    from hamfoot import chain

    print(f"model: {repeats} walks, {max(repeats // 20, 10)} sweeps", flush=True)
    chain.walk(30.0)  # warm-up: loads and caches the gait tables
    rng = random.Random(7)
    walks = timed(
        lambda: chain.walk(rng.uniform(0, 120), pelvic_tilt=rng.uniform(-10, 25)), repeats
    )
    values = np.linspace(0, 120, 1000)
    chain.sweep(values)
    sweeps = timed(lambda: chain.sweep(values), max(repeats // 20, 10))
    for what, samples, budget in [
        ("`chain.walk()`: one gait cycle", walks, 1e-3),
        ("`chain.sweep()`: 1,000 tightness values", sweeps, 50e-3),
    ]:
        med = statistics.median(samples)
        report.add(
            "model",
            what,
            ms(med),
            ms(max(samples)),
            f"median < {ms(budget)}",
            verdict(med < budget),
            f"p95 {ms(p95(samples))}",
        )


# ---------------------------------------------------------------- widgets
def widget_builders() -> dict[str, typing.Callable]:
    """Every lesson widget: a public function in hamfoot/widgets/*.py that returns a widget and
    needs no arguments. Found, not listed, so a new widget is measured without editing this file."""
    import ipywidgets as w

    import hamfoot.widgets as package

    found = {}
    for path in sorted(Path(package.__file__).parent.glob("[!_]*.py")):
        module = importlib.import_module(f"hamfoot.widgets.{path.stem}")
        for name, func in vars(module).items():
            if (
                name.startswith("_")
                or not inspect.isfunction(func)
                or func.__module__ != module.__name__
            ):
                continue
            returns = typing.get_type_hints(func).get("return")
            no_args = all(
                p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                for p in inspect.signature(func).parameters.values()
            )
            if isinstance(returns, type) and issubclass(returns, w.Widget) and no_args:
                found[f"{path.stem}.{name}"] = func
    return found


def live_controls(widget, kinds: tuple | None = None) -> list:
    """The controls a learner can operate right now: enabled, shown, anywhere in the tree."""
    import ipywidgets as w

    kinds = kinds or (
        w.FloatSlider,
        w.IntSlider,
        w.BoundedFloatText,
        w.BoundedIntText,
        w.FloatText,
        w.IntText,
        w.Dropdown,
        w.RadioButtons,
        w.ToggleButtons,
        w.Select,
        w.Checkbox,
        w.ToggleButton,
        w.Button,
    )
    found, stack = [], [widget]
    while stack:
        node = stack.pop()
        if getattr(node.layout, "display", None) == "none":
            continue
        if isinstance(node, kinds) and not node.disabled:
            found.append(node)
        stack.extend(reversed(getattr(node, "children", ())))
    return found


def change(control, rng: random.Random) -> bool:
    """Give `control` a new value as a learner would (or click it); False if it has none to give."""
    import ipywidgets as w

    if isinstance(control, w.Button):
        control.click()
    elif isinstance(control, (w.Checkbox, w.ToggleButton)):
        control.value = not control.value
    elif hasattr(control, "options"):
        if len(control.options) < 2 and control.index is not None:
            return False
        control.index = ((control.index if control.index is not None else -1) + 1) % len(
            control.options
        )
    else:  # a slider or a typed number: a fresh value within its range, on its step
        lo, hi = getattr(control, "min", 0), getattr(control, "max", 100)
        step = getattr(control, "step", None) or 1
        new = lo + step * rng.randrange(int((hi - lo) / step) + 1)
        control.value = type(control.value)(
            new if new != control.value else hi if new != hi else lo
        )
    return True


def bench_widgets(report: Report, changes: int) -> None:
    builders = widget_builders()
    print(f"widgets: {len(builders)} builders, {changes} changes each", flush=True)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        here = os.getcwd()
        os.chdir(
            tmp
        )  # a Save-progress button writes beside the "notebook": keep it out of the repo
        try:
            for name, build in builders.items():
                widget = build()
                samples, i = [], 0
                while len(samples) < changes and i < 20 * changes:
                    controls = live_controls(widget)
                    control = controls[i % len(controls)] if controls else None
                    i += 1
                    if control is None:
                        break
                    start = time.perf_counter()
                    if change(control, rng):
                        samples.append(time.perf_counter() - start)
                if not samples:
                    report.add(
                        "widgets",
                        f"`{name}()`",
                        "—",
                        "—",
                        "p95 ≤ 100 ms",
                        "FAIL",
                        "no control could be changed",
                    )
                    continue
                worst = p95(samples)
                report.add(
                    "widgets",
                    f"`{name}()` — control change to output updated",
                    ms(statistics.median(samples)),
                    ms(max(samples)),
                    "p95 ≤ 100 ms",
                    verdict(worst <= 0.1),
                    f"p95 {ms(worst)} over {len(samples)} changes",
                )
        finally:
            os.chdir(here)


# ---------------------------------------------------------------- nbval
DEPENDENCIES = "import pandas, ipywidgets, matplotlib.figure, numpy, yaml"


def bare_lessons(folder: Path, n: int, first: str = "") -> list[Path]:
    """n one-cell notebooks (`1+1`, stored output 2): the floor nbval cannot go below. With
    `first` (an import line) they show how much of a lesson's cost is its dependencies."""
    import nbformat

    paths = []
    for i in range(n):
        nb = nbformat.v4.new_notebook(
            metadata={
                "kernelspec": {
                    "name": "python3",
                    "display_name": "Python 3 (ipykernel)",
                    "language": "python",
                }
            }
        )
        cell = nbformat.v4.new_code_cell(f"{first}\n1+1".strip(), execution_count=1)
        cell.outputs = [
            nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)
        ]
        nb.cells = [cell]
        paths.append(folder / f"bare{'-deps' if first else ''}-{i:02d}.ipynb")
        nbformat.write(nb, paths[-1])
    return paths


def run_pytest(paths: list[Path]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *NBVAL, *map(str, paths)],
        cwd=ROOT,
        env=env(),
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, done.returncode


def bench_nbval(report: Report, runs: int) -> None:
    """The floor is what no lesson can avoid: pytest start-up plus one kernel per lesson that
    imports the dependencies every lesson needs. Bare `1+1` kernels are shown for reference."""
    lessons = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
    print(
        f"nbval: {len(lessons)} lessons vs {len(lessons)} kernels importing the dependencies, "
        f"{runs} runs each",
        flush=True,
    )
    if not lessons:
        report.add(
            "nbval", "nbval over every lesson", "—", "—", "≤ 1.25 × floor", "—", "no lessons"
        )
        return
    with tempfile.TemporaryDirectory() as tmp:
        bare = bare_lessons(Path(tmp), len(lessons))
        deps = bare_lessons(Path(tmp), len(lessons), DEPENDENCIES)
        bare_t, floor, real, failed = [], [], [], set()
        for _ in range(runs):  # interleaved, so a busy moment hits all alike
            t, _code = run_pytest(bare)
            bare_t.append(t)
            t, _code = run_pytest(deps)
            floor.append(t)
            t, code = run_pytest(lessons)
            real.append(t)
            if code:
                failed.add(code)
    b, f, r = statistics.median(bare_t), statistics.median(floor), statistics.median(real)
    report.add(
        "nbval",
        f"reference: pytest start-up + {len(lessons)} bare kernel starts (`1+1`)",
        sec(b),
        sec(max(bare_t)),
        "—",
        "—",
    )
    report.add(
        "nbval",
        f"floor: pytest start-up + {len(lessons)} kernels running `{DEPENDENCIES}`",
        sec(f),
        sec(max(floor)),
        "—",
        "—",
        f"{f / b:.2f} × the bare kernels: what the dependencies alone cost",
    )
    report.add(
        "nbval",
        f"`pytest --nbval` over {len(lessons)} lessons",
        sec(r),
        sec(max(real)),
        "≤ 1.25 × floor",
        verdict(r <= 1.25 * f and not failed),
        f"{r / f:.2f} × floor"
        + (f"; nbval itself FAILED (exit {sorted(failed)})" if failed else ""),
    )


# ---------------------------------------------------------------- first start
FIRST_START_BUDGET = 25.0
URL_LINE = "/lab/tree/00-start-here.ipynb?token="


def first_start(installer: str, tmp: Path) -> float:
    """Seconds from `git clone` to the URL `make start` prints, in a fresh clone with a new
    .venv (package caches warm, as on a second course on the same machine)."""
    import signal

    clone = tmp / f"clone-{installer}"
    began = time.perf_counter()
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    log = tmp / f"start-{installer}.log"
    process = subprocess.Popen(
        ["make", "--no-print-directory", "start"],
        cwd=clone,
        env={**env(), "HAMFOOT_INSTALLER": installer, "BROWSER": "true"},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        while URL_LINE not in log.read_text(errors="ignore"):
            if process.poll() is not None or time.perf_counter() - began > 600:
                raise RuntimeError(f"make start ({installer}): {log.read_text()[-1500:]}")
            time.sleep(0.1)
        return time.perf_counter() - began
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def bench_first_start(report: Report, runs: int) -> None:
    """uv on the lock (the default) and plain pip on the same lock, interleaved in one run."""
    print(f"first start: fresh clone to printed URL, uv {runs} run(s), pip 1", flush=True)
    times: dict[str, list[float]] = {"uv": [], "pip": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            # pip once (it takes minutes and is only the comparison), uv every time
            for installer in ("uv", "pip") if i == 0 else ("uv",):
                run_dir = Path(tmp) / str(i)
                run_dir.mkdir(exist_ok=True)
                times[installer].append(first_start(installer, run_dir))
    uv, pip = statistics.median(times["uv"]), statistics.median(times["pip"])
    report.add(
        "first-start",
        "fresh clone to printed URL: `make start` (uv installs requirements/lock.txt)",
        sec(uv),
        sec(max(times["uv"])),
        f"≤ {FIRST_START_BUDGET:.0f} s",
        verdict(max(times["uv"]) <= FIRST_START_BUDGET),
        f"{pip / uv:.1f} × faster than pip",
    )
    report.add(
        "first-start",
        "the same with plain pip on the same lock (`HAMFOOT_INSTALLER=pip make start`)",
        sec(pip),
        sec(max(times["pip"])),
        "—",
        "—",
        "for comparison",
    )


# ---------------------------------------------------------------- browser
BROWSER_TESTS = ["tests/browser/test_page_latency.py", "tests/browser/test_lessons.py"]
BENCH_PRESSES = 5


def run_browser(presses: int = BENCH_PRESSES) -> str:
    """Run the browser tests that time the page (every control `presses` times, the chain
    explorer's slider, server start and kernel idle), so they write build/browser-timings.json.

    Why here and not in `make test`: five timed presses on each of ~100 controls take minutes; the
    suite presses each control once and asserts only that it answers. Returns a note for the
    rows: how the run went (a failed run leaves the file it wrote, and the note says so)."""
    sys.path.insert(0, str(ROOT / "tools"))
    from chromium import CHROMIUM

    if not Path(CHROMIUM).exists():
        return f"no {CHROMIUM}: browser rows read the last file written, if any"
    with tempfile.TemporaryDirectory() as tmp:
        run_env = {
            **env(),
            "HAMFOOT_BENCH_PRESSES": str(presses),
            "HAMFOOT_PROGRESS": str(Path(tmp) / "progress.json"),
        }
        for name in ("HAMFOOT_CLASS_DIR", "HAMFOOT_LOCAL", "HAMFOOT_STUDENT"):
            run_env.pop(name, None)
        cmd = [sys.executable, "-m", "pytest", *BROWSER_TESTS, "-q", "-p", "no:cacheprovider"]
        print(f"browser: {' '.join(cmd[2:])} with {presses} presses per control", flush=True)
        done = subprocess.run(cmd, cwd=ROOT, env=run_env, capture_output=True, text=True)
    tail = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return f"browser tests ({presses} presses per control): {tail}"


def browser_timings(report: Report, path: Path = BROWSER_TIMINGS) -> None:
    """Chromium timings, read from the file the browser tests write (tests/browser/conftest.py):
    `server_start_s`, per lesson `kernel_idle_s` (page opened to kernel idle) and
    `widgets_rendered_s` (Run All to every widget rendered), and `key_to_figure` (ArrowRight on a
    slider to the new figure shown: `median_s`, `slowest_s`, `presses`).

    Without the file the rows say "not measured" and never fail: a browser is not needed for
    `make bench`. The browser adds round trips and painting to what the widget rows measure in the
    kernel, so these rows are reported against no budget of their own."""
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    first, press = (
        "JupyterLab start to first widget rendered (Chromium)",
        "key press to updated figure (Chromium)",
    )
    if not path.is_file():
        for what in (first, press):
            report.add("browser", what, "not measured", "—", "—", "—", f"no {where}")
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        opened = [
            v["kernel_idle_s"] + v["widgets_rendered_s"]
            for v in data.get("lessons", {}).values()
            if "kernel_idle_s" in v and "widgets_rendered_s" in v
        ]
        start = float(data["server_start_s"])
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        report.add(
            "browser",
            f"Chromium timings ({where})",
            "—",
            "—",
            "—",
            "FAIL",
            f"unreadable: {type(e).__name__} {e}",
        )
        return
    when = f"from {where}, written {data.get('generated', '?')}"
    if opened:
        report.add(
            "browser",
            first,
            sec(start + statistics.median(opened)),
            sec(start + max(opened)),
            "—",
            "—",
            f"server start {sec(start)} + open a lesson to its widgets rendered "
            f"(median over {len(opened)} lessons); {when}",
        )
    else:
        report.add("browser", first, "not measured", "—", "—", "—", f"no lesson timings {when}")
    keys = data.get("key_to_figure") or {}
    if "median_s" in keys:
        report.add(
            "browser",
            press,
            ms(keys["median_s"]),
            ms(keys.get("slowest_s", keys["median_s"])),
            "—",
            "—",
            f"{keys.get('presses', '?')} presses; includes the browser round trip "
            f"and paint; {when}",
        )
    else:
        report.add("browser", press, "not measured", "—", "—", "—", f"no key presses {when}")


# ---------------------------------------------------------------- browser: page latency
PAGE_P95_S, PAGE_MAX_S = 0.150, 0.250


def page_latency(report: Report, path: Path = BROWSER_TIMINGS) -> None:
    """Key press to updated figure or feedback in Chromium, for every figure-driving control of
    every lesson (issue 12, item 6), from `page_latency` in the file the browser tests write
    (tests/browser/test_page_latency.py). Budget: p95 <= 150 ms and slowest <= 250 ms over all
    presses; one row per lesson widget control as well, so the slow one is named. Without the
    file the row says "not measured" and never fails."""
    what = "key press to updated figure or feedback, every control (Chromium)"
    budget = f"p95 ≤ {ms(PAGE_P95_S)}, max ≤ {ms(PAGE_MAX_S)}"
    try:
        data = json.loads(path.read_text(encoding="utf-8")).get("page_latency") or {}
    except (OSError, ValueError, AttributeError):
        data = {}
    rows = [
        (Path(lesson).stem, r)
        for lesson, entry in sorted(data.items())
        for r in entry.get("controls", [])
        if r.get("key_to_output_s")
    ]
    if not rows:
        report.add("browser", what, "not measured", "—", budget, "—", "run the browser tests")
        return
    presses = [t for _, r in rows for t in r["key_to_output_s"]]
    worst_lesson, worst = max(rows, key=lambda lr: max(lr[1]["key_to_output_s"]))
    report.add(
        "browser",
        what,
        ms(statistics.median(presses)),
        f"p95 {ms(p95(presses))}, max {ms(max(presses))}",
        budget,
        verdict(p95(presses) <= PAGE_P95_S and max(presses) <= PAGE_MAX_S),
        f"{len(presses)} presses on {len(rows)} controls in {len(data)} lessons; slowest: "
        f"{worst_lesson} {worst['widget']} {worst['kind']} {worst['control']!r}",
    )
    for lesson, r in rows:
        t = r["key_to_output_s"]
        report.add(
            "browser",
            f"{lesson} {r['widget']} · {r['kind']} {r['control']!r}",
            ms(statistics.median(t)),
            ms(max(t)),
            f"max ≤ {ms(PAGE_MAX_S)}",
            verdict(max(t) <= PAGE_MAX_S),
            f"{len(t)} presses",
        )


# ---------------------------------------------------------------- report
def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.processor()
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def write(report: Report, args: argparse.Namespace, load_before: str, out: Path) -> None:
    fails = [r for r in report.rows if r.verdict == "FAIL"]
    lines = [
        "# hamfoot speed budgets — measured",
        "",
        f"Written by `make bench` (`python bench/bench.py{' --quick' if args.quick else ''}`) on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC.",
        "",
        f"- Machine: {machine()}",
        f"- Load average before / after: {load_before} / {loadavg()}",
        f"- Repeats: imports {args.import_runs} fresh interpreters each; model {args.walks} walks; "
        f"widgets {args.changes} changes each; nbval {args.nbval_runs} runs each; "
        f"first start {args.start_runs} clone(s) with uv, 1 with pip.",
        f"- Verdict: **{'every budget passes' if not fails else f'{len(fails)} budget(s) FAIL'}**.",
        "",
        "| Section | What | Median | Worst | Budget | Verdict | Note |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r.section} | {r.what} | {r.median} | {r.worst} | {r.budget} | {r.verdict} | "
        f"{r.note.replace('|', '/')} |"
        for r in report.rows
    ]
    lines += ["", "How each row is measured and why: see [README.md](README.md).", ""]
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma-separated sections (default all: {','.join(SECTIONS)})",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 when any budget fails")
    parser.add_argument(
        "--no-browser-run",
        dest="browser_run",
        action="store_false",
        help="browser rows from the last build/browser-timings.json instead of a new run",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="where to write the table")
    args = parser.parse_args(argv)
    args.import_runs, args.walks, args.changes, args.nbval_runs, args.start_runs = (
        (7, 200, 50, 1, 1) if args.quick else (11, 2000, 60, 3, 2)
    )
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(
            f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}"
        )
    load_before, report = loadavg(), Report()
    print(f"hamfoot bench on {machine()}; load average {load_before}", flush=True)
    steps = {
        "import": lambda: bench_import(report, args.import_runs),
        "model": lambda: bench_model(report, args.walks),
        "widgets": lambda: bench_widgets(report, args.changes),
        "nbval": lambda: bench_nbval(report, args.nbval_runs),
        "first-start": lambda: bench_first_start(report, args.start_runs),
        "browser": lambda: (
            print(run_browser() if args.browser_run else "browser: reading the last run's file"),
            browser_timings(report),
            page_latency(report),
        ),
    }
    for section in SECTIONS:
        if section in only:
            steps[section]()
    write(report, args, load_before, args.output)
    fails = [r for r in report.rows if r.verdict == "FAIL"]
    print(f"{len(fails)} budget(s) FAIL" if fails else "every budget passes")
    return 1 if fails and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
