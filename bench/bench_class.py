"""A class on the local hub: 40 students log in, spawn, pull the course, open lesson 02, run it and
move the chain explorer's slider ten times, all at once; two of them in real Chromium pages.
Writes bench/RESULTS-class.md (`make bench-class`).

Why a benchmark and not a test: it takes minutes and its numbers depend on the machine; budgets
say what "good enough for a class" means (0 failures; with all 40 active, slider p95 <= 500 ms in
the kernel path; memory per student <= 300 MB, as PSS: see `memory_note`). The short version
(3 students) runs in make test (tests/hub/). Everything talks to 127.0.0.1 only; the run is bounded by --timeout.

How the class is modelled (say it when quoting numbers): students arrive spread evenly over
--arrival seconds (a class sitting down); each then logs in through the hub's form, has a server
spawned through the REST API, pulls the course with nbgitpuller, opens lesson 02 (session +
kernel) and runs every code cell over the kernel websocket. When every student is ready, all move
the slider at once: ten moves each, with a think time drawn uniformly from --think seconds between
moves, each timed from sending the comm message a slider handle sends to receiving the redrawn
figure. Each student's kernel then saves an answers file in the class folder, and
`hamfoot class-report` on that folder must count exactly what they answered.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import platform
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))
import localhub  # noqa: E402

BUDGETS = {"failures": 0, "slider_p95_ms": 500, "memory_per_student_mb": 300}
LESSON = "02"


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank), so p95 of 400 presses is a press that happened."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def kernel_student(s, path, ready, go, moves, think, rng, log):
    """One student through the kernel path; failures are recorded, never raised."""
    try:
        await s.login()
        await s.spawn()
        await s.pull()
        t0 = time.perf_counter()
        nb = await s.open_lesson(path)
        await s.run_all(nb)
        s.times["lesson_ready_s"] = time.perf_counter() - t0
        s.times["arrival_to_ready_s"] = time.perf_counter() - s.arrived
        log(f"{s.name} ready in {s.times['arrival_to_ready_s']:.1f} s")
    except Exception as e:  # noqa: BLE001 - a failure is a number in the report
        s.failure = f"{type(e).__name__}: {e}"
        log(f"{s.name} FAILED: {s.failure}")
    finally:
        ready()
    await go.wait()
    if getattr(s, "failure", None):
        return
    try:
        value = 20.0
        for _ in range(moves):
            await asyncio.sleep(rng.uniform(*think))
            value = value + 1 if value < 60 else 20.0
            await s.move_slider(value)
    except Exception as e:  # noqa: BLE001
        s.failure = f"slider: {type(e).__name__}: {e}"
        log(f"{s.name} FAILED: {s.failure}")


async def browser_run(browser, hub, name, ready, go, moves, log):
    """A student in Chromium: login form, pull link, run all, then key presses when the class goes."""
    result = {"name": name}
    try:
        first = await localhub.browser_student(
            browser, hub, name, LESSON, presses=1, keep=True, log=log
        )
        result.update(first)
        log(f"{name} (browser) ready in {first['lesson_ready_s']:.1f} s after the link")
    except Exception as e:  # noqa: BLE001
        result["failure"] = f"{type(e).__name__}: {e}"
        log(f"{name} (browser) FAILED: {result['failure']}")
    finally:
        ready()
    await go.wait()
    if "failure" in result:
        return result
    try:
        result["key_to_figure_s"] += await first["press"](moves - 1)
    except Exception as e:  # noqa: BLE001
        result["failure"] = f"key presses: {type(e).__name__}: {e}"
    finally:
        await first["close"]()
    return result


async def run_class(hub, n, browsers, moves, arrival, think, seed, log):
    from playwright.async_api import async_playwright

    rng = random.Random(seed)
    path = localhub.lesson_path(LESSON)
    names = localhub.student_names(n)
    browser_names, kernel_names = names[:browsers], names[browsers:]
    total = len(names)
    done = 0
    go = asyncio.Event()
    all_ready = asyncio.Event()

    def ready():
        nonlocal done
        done += 1
        if done == total:
            all_ready.set()

    students = [localhub.Student(hub, name) for name in kernel_names]
    async with async_playwright() as pw:
        browser = await localhub.launch_browser(pw) if browsers else None
        tasks = []
        gap = arrival / max(1, total - 1)
        for i, name in enumerate(names):
            if i:
                await asyncio.sleep(gap)
            if name in browser_names:
                tasks.append(
                    asyncio.ensure_future(browser_run(browser, hub, name, ready, go, moves, log))
                )
            else:
                s = students[kernel_names.index(name)]
                s.arrived = time.perf_counter()
                tasks.append(
                    asyncio.ensure_future(
                        kernel_student(
                            s, path, ready, go, moves, think, random.Random(rng.random()), log
                        )
                    )
                )
        await all_ready.wait()
        log("every student is ready: all move their sliders now")
        t_active = time.perf_counter()
        mem_task = asyncio.ensure_future(_sample_memory_midway(hub, think, moves))
        go.set()
        results = await asyncio.gather(*tasks)
        active_s = time.perf_counter() - t_active
        memory = await mem_task
        handed = await hand_in(students)
        if browser is not None:
            await browser.close()
    browser_results = [r for r in results if isinstance(r, dict)]
    return students, browser_results, memory, active_s, handed


async def hand_in(students):
    """Each ready kernel student saves simulated answers from its kernel into the class folder."""
    ok = [s for s in students if not getattr(s, "failure", None)]
    docs = localhub.simulated_answers(len(ok), lessons=(LESSON,))
    await asyncio.gather(*(s.hand_in(doc) for s, doc in zip(ok, docs.values())))
    await asyncio.gather(*(s.close() for s in students))
    return docs


async def _sample_memory_midway(hub, think, moves):
    """Memory while everyone is active: half-way through the slider phase."""
    await asyncio.sleep(max(2.0, (think[0] + think[1]) / 2 * moves / 2))
    return await asyncio.get_running_loop().run_in_executor(None, hub.memory)


def hub_overhead_mb(hub) -> float:
    """PSS of the hub itself (JupyterHub, proxy, idle culler): the fixed cost of any class."""
    import psutil

    main = psutil.Process(hub.proc.pid)
    total = 0.0
    for p in [main, *main.children(recursive=True)]:
        try:
            env = p.environ()
        except psutil.Error:
            continue
        if env.get("JUPYTERHUB_USER"):
            continue
        try:
            total += p.memory_full_info().pss / 2**20
        except psutil.Error:
            pass
    return total


class MachineWatch(threading.Thread):
    """Every few seconds: the 1-minute load average, and the CPU time of every process that is not
    this benchmark's (its hub, students and browser all descend from it), so the results say what
    else ran on the machine while the class was measured."""

    def __init__(self, every: float = 5.0):
        super().__init__(daemon=True)
        self.every, self.loads = every, []
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.names: dict[int, str] = {}
        self.done = threading.Event()
        self.t0, self.seconds = time.perf_counter(), 0.0

    def sample(self) -> None:
        import psutil

        self.loads.append(os.getloadavg()[0])
        me = psutil.Process()
        ours = {me.pid, *(c.pid for c in me.children(recursive=True))}
        for p in psutil.process_iter(["pid", "cmdline", "cpu_times"]):
            pid, cpu = p.info["pid"], p.info["cpu_times"]
            if pid in ours or cpu is None:
                continue
            self.first.setdefault(pid, cpu.user + cpu.system)
            self.last[pid] = cpu.user + cpu.system
            self.names.setdefault(pid, short_command(p.info["cmdline"] or [p.name()]))

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.sample()

    def stop(self) -> None:
        self.done.set()
        self.join(10)
        self.sample()
        self.seconds = time.perf_counter() - self.t0

    def others(self) -> tuple[float, list[tuple[str, float]]]:
        """CPU-seconds other processes used while watched, and the busiest commands."""
        used: dict[str, float] = {}
        for pid, cpu in self.last.items():
            used[self.names[pid]] = used.get(self.names[pid], 0.0) + cpu - self.first[pid]
        top = sorted(((n, c) for n, c in used.items() if c >= 1), key=lambda x: -x[1])
        return sum(used.values()), top


def short_command(argv: list[str]) -> str:
    """A process's command in a few words, the same for all its copies: 'python -m pytest
    tests/browser/test_slides.py -x' → 'python pytest test_slides.py', Chromium → 'chromium'."""
    if len(argv) == 1:  # Chromium's helpers rewrite their command line into one string
        argv = argv[0].split()
    words = [Path(argv[0]).name]
    for a in argv[1:]:
        if a.startswith("--") or len(words) == 3:
            break
        if not a.startswith("-") and not a.endswith(".json"):
            words.append(Path(a).name)
    return " ".join(words)


def class_report(hub, docs, out_dir: Path) -> dict:
    """`hamfoot class-report` on the class folder must count what the students answered."""
    from hamfoot import classroom

    code = classroom.report_main([str(hub.class_dir), "--lesson", LESSON, "--out", str(out_dir)])

    rows = list(csv.DictReader((out_dir / "class-report.csv").open(encoding="utf-8")))
    expected: dict[str, list[int]] = {}
    for doc in docs.values():
        for key, a in doc["answers"].items():
            e = expected.setdefault(key, [0, 0])
            e[0] += 1
            e[1] += a["correct"]
    got = {
        r["question"]: [int(r["answered"]), int(r["right"])] for r in rows if r["answered"] != "0"
    }
    return {
        "exit": code,
        "files": len(list(hub.class_dir.glob("*.json"))),
        "questions": len(rows),
        "counts_equal": got == expected,
        "answers": sum(e[0] for e in expected.values()),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--browsers", type=int, default=2, help="how many of them use Chromium")
    ap.add_argument("--moves", type=int, default=10)
    ap.add_argument("--arrival", type=float, default=60.0, help="seconds over which they arrive")
    ap.add_argument("--think", type=float, nargs=2, default=(2.0, 5.0), metavar=("MIN", "MAX"))
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--timeout", type=float, default=1500, help="bound on the whole run (s)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "RESULTS-class.md"))
    args = ap.parse_args(argv)

    def log(msg):
        print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    # a SIGTERM (e.g. Ctrl-C in make, a CI timeout) must still stop the hub in `finally`
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = Path(tempfile.mkdtemp(prefix="hamfoot-bench-class-"))
    bare = localhub.make_course_repo(ROOT, ROOT / "notebooks", work)
    hub = localhub.Hub(work / "state", repo=f"file://{bare}")
    load_before = os.getloadavg()
    watch = MachineWatch()
    watch.sample()
    watch.start()
    t0 = time.perf_counter()
    hub.start()
    log(f"hub up in {hub.started_s:.1f} s on {hub.url}")
    try:
        students, browsers, memory, active_s, docs = asyncio.run(
            asyncio.wait_for(
                run_class(
                    hub,
                    args.students,
                    args.browsers,
                    args.moves,
                    args.arrival,
                    tuple(args.think),
                    args.seed,
                    log,
                ),
                args.timeout,
            )
        )
        overhead = hub_overhead_mb(hub)
        report = class_report(hub, docs, work / "report")
    finally:
        watch.stop()
        leftovers = hub.stop(timeout=120)  # 40 servers to stop
    wall = time.perf_counter() - t0
    text = results_md(
        args,
        students,
        browsers,
        memory,
        overhead,
        report,
        active_s,
        wall,
        leftovers,
        load_before,
        watch,
    )
    Path(args.out).write_text(text, encoding="utf-8")
    print(text)
    return 0 if "FAIL" not in text.split("## Budgets")[1].split("##")[0] else 1


def others_words(watch: MachineWatch) -> str:
    """What else ran, in words: other processes' CPU time during the run and the busiest ones."""
    total, top = watch.others()
    share = total / (watch.seconds * (os.cpu_count() or 1))
    named = "; ".join(f"{name} {cpu:.0f} s" for name, cpu in top[:4])
    return (
        f"Other processes on the machine used {total:.0f} CPU-seconds during the run "
        f"({share:.0%} of its capacity)" + (f": {named}." if named else ".")
    )


def ms(x: float) -> str:
    return f"{1000 * x:.0f} ms"


def memory_note(rss: list[float], pss: list[float], uss: list[float]) -> str:
    """Why the memory budget is on PSS, with this run's numbers."""
    shared = statistics.mean(rss) - statistics.mean(uss)
    return (
        "Why the budget is on PSS: RSS counts in full, for each process, every page it maps, "
        f"including the pages it shares (here on average {shared:.0f} MB per student: the "
        "libraries and code every student's server and kernel map from the same files). The "
        "machine holds those pages once, and the cgroup limits that The Littlest JupyterHub and "
        "Kubernetes enforce charge each page once, so a sum of RSS over-counts what a class "
        "needs. PSS splits each shared page among the processes sharing it: the PSS of all "
        "students adds up to what they really occupy. RSS stays in this table and is what the "
        "sizing below uses, as a safe upper bound. deploy/README.md lists what a student's "
        "server and kernel load and what each part costs."
    )


def results_md(
    args,
    students,
    browsers,
    memory,
    overhead,
    report,
    active_s,
    wall,
    leftovers,
    load_before,
    watch,
) -> str:
    import psutil

    failures = [f"{s.name}: {s.failure}" for s in students if getattr(s, "failure", None)]
    failures += [f"{b['name']}: {b['failure']}" for b in browsers if "failure" in b]
    if leftovers:
        failures.append(f"processes left after the hub stopped: {leftovers}")
    if not report["counts_equal"]:
        failures.append("class-report counts differ from what the students answered")
    spawn = [s.times["spawn_s"] for s in students if "spawn_s" in s.times]
    ready = [s.times["lesson_ready_s"] for s in students if "lesson_ready_s" in s.times]
    arrive = [s.times["arrival_to_ready_s"] for s in students if "arrival_to_ready_s" in s.times]
    slider = [t for s in students for t in s.slider_s]
    # each browser's first press is made as soon as its lesson is ready, during the arrival
    firsts = [b["key_to_figure_s"][0] for b in browsers if b.get("key_to_figure_s")]
    keys = [t for b in browsers for t in b.get("key_to_figure_s", [])[1:]]
    rss = [m["rss_mb"] for m in memory.values()]
    pss = [m["pss_mb"] for m in memory.values()]
    uss = [m["uss_mb"] for m in memory.values()]
    cpu = [m["cpu_s"] for m in memory.values()]
    n = args.students
    per_rss, per_pss = max(rss) if rss else 0, statistics.mean(pss) if pss else 0
    budgets = [
        ("failures", len(failures), "= 0", len(failures) == 0),
        (
            f"slider → updated figure p95, kernel path, {len(slider)} moves with all {n} active",
            ms(pct(slider, 95)),
            f"≤ {BUDGETS['slider_p95_ms']} ms",
            pct(slider, 95) * 1000 <= BUDGETS["slider_p95_ms"],
        ),
        (
            "memory per student (largest PSS of a server + kernel tree; largest RSS "
            f"{per_rss:.0f} MB, see Memory)",
            f"{max(pss, default=0):.0f} MB",
            f"≤ {BUDGETS['memory_per_student_mb']} MB",
            max(pss, default=0) <= BUDGETS["memory_per_student_mb"],
        ),
    ]
    mem_total_pss = sum(pss)
    extensions = localhub.CLASS["server"]["extensions"]
    on = [name for name, enabled in extensions.items() if enabled]
    off = [name for name, enabled in extensions.items() if not enabled]
    lines = [
        "# Class on a hub: load test results",
        "",
        "Written by `make bench-class` (bench/bench_class.py); do not edit by hand.",
        "",
        f"- When: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; wall time "
        f"{wall:.0f} s; machine: {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GB RAM, Python "
        f"{platform.python_version()}.",
        f"- Load: 1-min load average {load_before[0]:.1f} before the run; during it "
        f"{min(watch.loads):.1f}–{max(watch.loads):.1f} (mean {statistics.mean(watch.loads):.1f}),"
        f" the class itself and any other work (on {os.cpu_count()} cores a load of "
        f"{os.cpu_count()} means fully busy). {others_words(watch)}",
        f"- Class: {n} students ({n - args.browsers} through the kernel REST + websocket API, "
        f"{args.browsers} in Chromium pages), arriving over {args.arrival:.0f} s; lesson "
        f"{LESSON}; {args.moves} slider moves each with {args.think[0]:g}–{args.think[1]:g} s "
        "think time, all students active at once.",
        "",
        "## Budgets",
        "",
        "| Budget | Measured | Limit | Result |",
        "|---|---|---|---|",
    ]
    lines += [f"| {b} | {m} | {lim} | {'PASS' if ok else 'FAIL'} |" for b, m, lim, ok in budgets]
    lines += [
        "",
        "## Timings",
        "",
        "| Step | p50 | p95 | max | n |",
        "|---|---|---|---|---|",
        f"| spawn (request → server ready) | {pct(spawn, 50):.1f} s | {pct(spawn, 95):.1f} s | "
        f"{max(spawn, default=float('nan')):.1f} s | {len(spawn)} |",
        f"| lesson ready (open notebook → every cell run) | {pct(ready, 50):.1f} s | "
        f"{pct(ready, 95):.1f} s | {max(ready, default=float('nan')):.1f} s | {len(ready)} |",
        f"| arrival → lesson ready (login, spawn, pull, open, run) | {pct(arrive, 50):.1f} s | "
        f"{pct(arrive, 95):.1f} s | {max(arrive, default=float('nan')):.1f} s | {len(arrive)} |",
        f"| slider → updated figure, kernel path, all active | {ms(pct(slider, 50))} | "
        f"{ms(pct(slider, 95))} | {ms(max(slider, default=float('nan')))} | {len(slider)} |",
        f"| key press → updated figure, Chromium, all active | {ms(pct(keys, 50))} | "
        f"{ms(pct(keys, 95))} | {ms(max(keys, default=float('nan')))} | {len(keys)} |",
        f"| key press → updated figure, Chromium, first press while others still arrive | "
        f"{ms(pct(firsts, 50))} | — | {ms(max(firsts, default=float('nan')))} | {len(firsts)} |",
        "",
    ]
    for b in browsers:
        if "lesson_ready_s" in b:
            lines.append(
                f"- {b['name']} (Chromium): login {b['login_s']:.1f} s; pull link → JupyterLab "
                f"{b['link_to_lab_s']:.1f} s (includes spawn and pull); → lesson run "
                f"{b['lesson_ready_s']:.1f} s."
            )
    retried = [f"{s.name} ({s.spawn_retries}×)" for s in students if s.spawn_retries]
    lines += [
        "- Servers the hub gave up on, so that the student had to ask again: "
        + (", ".join(retried) + " (counted in spawn time)." if retried else "none."),
        f"- The slider phase took {active_s:.0f} s for all students.",
        "",
        "## Memory (measured half-way through the slider phase)",
        "",
        "| Per student (server + kernel) | mean | max |",
        "|---|---|---|",
        f"| RSS (counts shared libraries in full for each process) | "
        f"{statistics.mean(rss):.0f} MB | {max(rss):.0f} MB |",
        f"| PSS (shared pages split among the processes sharing them) | "
        f"{statistics.mean(pss):.0f} MB | {max(pss):.0f} MB |",
        f"| USS (pages this student alone uses) | {statistics.mean(uss):.0f} MB | "
        f"{max(uss):.0f} MB |",
        *(
            f"| {label}, {kind.upper()} | {statistics.mean(v):.0f} MB | {max(v):.0f} MB |"
            for part, label in (("server", "the server alone"), ("kernel", "the kernel alone"))
            for kind in ("rss", "pss")
            for v in [[m[f"{part}_{kind}_mb"] for m in memory.values()]]
        ),
        f"| CPU used so far (spawn, pull, lesson run, slider moves) | "
        f"{statistics.mean(cpu):.1f} s | {max(cpu):.1f} s |",
        "",
        f"Total for {len(memory)} students: {sum(rss):.0f} MB RSS (over-counts shared pages), "
        f"{mem_total_pss:.0f} MB PSS (what they really occupy). The hub itself (JupyterHub, "
        f"proxy, idle culler): {overhead:.0f} MB PSS.",
        "",
        memory_note(rss, pss, uss),
        "",
        f"Each student's server (jupyterhub-singleuser) loaded the server extensions "
        f"{', '.join(on)} and jupyterhub's own"
        + (f"; {', '.join(off)} are in the image but off" if off else "")
        + f" (deploy/class.yaml, server section). The kernel ran lesson {LESSON}.",
        "",
        "## Hub size for a class",
        "",
        "Memory: the hub's own cost plus, per student, the largest measured RSS (a safe upper "
        f"bound; PSS is {per_pss:.0f} MB), plus 25 % headroom for students who open more "
        "lessons than one. CPU: the class is idle most of the time; the peak is arrival, when "
        f"each student costs about {statistics.mean(cpu):.1f} CPU-seconds (spawn, pull, running "
        "the lesson, ten slider moves). To have everyone ready within 2 minutes of arriving, "
        "cores = students × CPU-seconds / 120 s.",
        "",
        "| Students | Memory | Cores for a 2-minute arrival | Deployment |",
        "|---|---|---|---|",
    ]
    for size in (40, 100, 300):
        mem_gb = (overhead + size * per_rss * 1.25) / 1024
        cores = size * statistics.mean(cpu) / 120
        where = (
            "The Littlest JupyterHub, one VM"
            if size <= 100
            else "Zero to JupyterHub, several nodes"
        )
        lines.append(
            f"| {size} | ({overhead:.0f} + {size} × {per_rss:.0f} × 1.25) MB = {mem_gb:.1f} GB | "
            f"{size} × {statistics.mean(cpu):.1f} / 120 = {cores:.1f} | {where} |"
        )
    lines += [
        "",
        "Limits in deploy/class.yaml (1 G memory limit, 384 M guarantee, 1 CPU limit per student)"
        " leave room above the measured use; the local spawner used here only passes them on, "
        "systemd (TLJH) and Kubernetes (Zero to JupyterHub) enforce them.",
        "",
        "## The class's answers",
        "",
        f"Each ready kernel student saved an answers file from its kernel into the class folder "
        f"({report['files']} files, {report['answers']} answers to {report['questions']} "
        f"questions of lesson {LESSON}); `hamfoot class-report` on that folder exited "
        f"{report['exit']} and its counts "
        f"{'equal' if report['counts_equal'] else 'DIFFER FROM'} what they answered.",
        "",
        "## Failures",
        "",
    ]
    lines += [f"- {f}" for f in failures] or ["None."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
