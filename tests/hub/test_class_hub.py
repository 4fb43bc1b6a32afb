"""Three students on a real local JupyterHub: they log in, get a server, pull the course with
nbgitpuller from a local git repository, open lesson 02, run it and move the chain explorer's
slider through the kernel; one does it all in Chromium, from the login form and the pull link to
a key press that redraws the figure. A second pull after a course update keeps a student's edits
(nbgitpuller's merge rules) and brings in the new files. The 40-student version with budgets is
bench/bench_class.py."""

from __future__ import annotations

import asyncio
import json
import re
import statistics
import time

import pytest

pytestmark = [pytest.mark.hub, pytest.mark.browser]  # one student uses Chromium


def in_own_thread(main):
    """asyncio.run(main()) in a thread of its own: the browser suite's session keeps Playwright's
    sync API (and so an event loop) running in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(lambda: asyncio.run(main())).result()


def class_budgets() -> dict:
    """bench/bench_class.py's budgets, so the short class and the long one hold the same line."""
    import importlib
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    return importlib.import_module("bench_class").BUDGETS


LESSON = "02"
KERNEL_STUDENTS = ["student01", "student02"]
BROWSER_STUDENT = "student03"


@pytest.fixture(scope="module")
def class_run(class_hub):
    """Run the three students at once (as a class would), once for the module's tests."""
    import localhub
    from playwright.async_api import async_playwright

    hub = class_hub["hub"]
    path = localhub.lesson_path(LESSON)

    async def kernel_student(name):
        s = localhub.Student(hub, name)
        await s.login()
        await s.spawn()
        s.pull_log = await s.pull()
        t0 = time.perf_counter()
        nb = await s.open_lesson(path)
        await s.run_all(nb)
        s.times["lesson_ready_s"] = time.perf_counter() - t0
        before = s._comms[s.figure_comm]["value"]
        for value in (25, 30, 35, 40):
            await s.move_slider(value)
        s.figure_changed = s._comms[s.figure_comm]["value"] != before
        s.figure_words = localhub.html_state(s._comms[s.figure_comm]["value"])
        return s

    async def main():
        async with async_playwright() as pw:
            browser = await localhub.launch_browser(pw)
            try:
                return await asyncio.gather(
                    *(kernel_student(n) for n in KERNEL_STUDENTS),
                    localhub.browser_student(browser, hub, BROWSER_STUDENT, LESSON),
                    return_exceptions=True,
                )
            finally:
                await browser.close()

    t0 = time.perf_counter()
    results = in_own_thread(main)
    wall = time.perf_counter() - t0
    failures = [r for r in results if isinstance(r, BaseException)]
    memory = hub.memory()
    students, browser = results[:-1], results[-1]
    report = {
        "hub_start_s": round(hub.started_s, 2),
        "class_wall_s": round(wall, 2),
        "failures": [repr(f) for f in failures],
        "kernel_students": [
            {
                **{k: round(v, 3) for k, v in s.times.items()},
                "slider_s": [round(t, 3) for t in s.slider_s],
            }
            for s in students
            if not isinstance(s, BaseException)
        ],
        "browser_student": browser if not isinstance(browser, BaseException) else None,
        "memory_mb": memory,
    }
    print("\nclass hub run:", json.dumps(report, indent=1, default=str))
    return {"results": results, "failures": failures, "memory": memory, "path": path, **class_hub}


def test_three_students_log_in_pull_run_lesson_02_and_move_the_slider(class_run):
    assert not class_run["failures"], class_run["failures"]
    hub, path = class_run["hub"], class_run["path"]
    for s in class_run["results"][:-1]:
        home = hub.state / "homes" / s.name
        assert (home / path).is_file(), f"{s.name}: nbgitpuller did not put {path} in the home"
        assert "Cloning into" in s.pull_log
        assert s.figure_changed, f"{s.name}: the figure did not change with the slider"
        assert "AKE deficit of 40" in s.figure_words or "40°" in s.figure_words, s.figure_words
        assert len(s.slider_s) == 4 and max(s.slider_s) < 5, s.slider_s


def test_the_browser_student_lands_on_the_lesson_and_the_key_press_redraws(class_run):
    assert not class_run["failures"], class_run["failures"]
    b = class_run["results"][-1]
    assert b["url"].split("?")[0].endswith(f"/user/{BROWSER_STUDENT}/lab/tree/{class_run['path']}")
    assert b["outside"] == [], f"requests left 127.0.0.1: {b['outside'][:5]}"
    assert len(b["key_to_figure_s"]) == 4
    assert statistics.median(b["key_to_figure_s"]) < 5


def test_each_student_has_own_server_and_kernel_with_the_class_limits(class_run):
    import classconf

    hub, memory = class_run["hub"], class_run["memory"]
    names = set(KERNEL_STUDENTS + [BROWSER_STUDENT])
    assert names <= set(memory), memory
    limit = classconf.size_bytes(classconf.load_class()["resources"]["memory_limit"])
    budget = class_budgets()["memory_per_student_mb"]  # the 40-student benchmark's, on PSS
    for name in names:
        assert memory[name]["processes"] >= 2, f"{name}: no kernel beside the server"
        assert memory[name]["rss_mb"] * 2**20 < limit, f"{name} is over the class memory limit"
        assert memory[name]["pss_mb"] <= budget, f"{name} is over the class budget: {memory[name]}"
    envs = {u: p.environ() for u, p in hub.processes()}
    for env in envs.values():
        assert env["MEM_LIMIT"] == str(limit)
        assert env["HAMFOOT_CLASS_DIR"] == str(hub.class_dir)


def test_each_server_loads_only_the_extensions_a_student_needs(class_run):
    """class.yaml switches off the image's presenting and development server extensions; a server
    that loads them anyway costs every student memory (deploy/README.md has the numbers)."""
    import classconf

    log = (class_run["hub"].state / "hub.log").read_text(errors="replace")
    loaded = set(re.findall(r"\] (\S+) \| extension was successfully loaded", log))
    wanted = {n for n, on in classconf.load_class()["server"]["extensions"].items() if on}
    assert loaded == wanted | {"jupyterhub"}, f"loaded: {sorted(loaded)}"


def test_idle_culler_runs_as_a_hub_service(class_run):
    import psutil

    hub = class_run["hub"]
    kids = psutil.Process(hub.proc.pid).children(recursive=True)
    culler = [p for p in kids if "jupyterhub_idle_culler" in " ".join(p.cmdline())]
    assert culler, "jupyterhub-idle-culler is not running under the hub"
    assert any(a.startswith("--timeout=") for a in culler[0].cmdline())
    # its role lets it read the users (a missing scope shows as 403 here and nothing is culled)
    log = (hub.state / "hub.log").read_text(errors="replace")
    assert re.search(r"200 GET /hub/api/users\S* \(idle-culler@127\.0\.0\.1\)", log), (
        "the idle culler never listed the users successfully"
    )


def test_second_pull_keeps_the_students_edit_and_brings_new_lessons(class_run):
    import localhub

    hub, where, path = class_run["hub"], class_run["where"], class_run["path"]
    s = localhub.Student(hub, KERNEL_STUDENTS[0])

    async def main():
        # the student writes a note into lesson 02 and saves (the server's contents API)
        r = await s._fetch(f"/user/{s.name}/api/contents/{path}?content=1")
        model = json.loads(r.body)
        nb = model["content"]
        nb["cells"][0]["source"] = "My own note: check the reserve at 33°.\n\n" + "".join(
            nb["cells"][0]["source"]
        )
        r = await s._fetch(
            f"/user/{s.name}/api/contents/{path}",
            "PUT",
            {"type": "notebook", "format": "json", "content": nb},
        )
        s._check(r, "save the edited notebook")
        # the educator changes another lesson and adds a new notebook
        upstream = where / "course-work" / "notebooks"
        lesson03 = next(upstream.glob("03-*.ipynb"))
        doc = json.loads(lesson03.read_text(encoding="utf-8"))
        doc["cells"][0]["source"] = (
            "".join(doc["cells"][0]["source"]) + "\n\nUpdated by the educator."
        )
        new = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        localhub.update_course_repo(
            where,
            {
                f"notebooks/{lesson03.name}": json.dumps(doc, indent=1, ensure_ascii=False) + "\n",
                "notebooks/99-course-update.ipynb": json.dumps(new, indent=1) + "\n",
            },
            "Course update",
        )
        return await s.pull()

    log = in_own_thread(main)
    home = hub.state / "homes" / s.name / "hamfoot" / "notebooks"
    mine = json.loads((home / path.split("/")[-1]).read_text(encoding="utf-8"))
    assert "".join(mine["cells"][0]["source"]).startswith("My own note"), log
    assert (home / "99-course-update.ipynb").is_file(), log
    theirs = json.loads(next(home.glob("03-*.ipynb")).read_text(encoding="utf-8"))
    assert "Updated by the educator." in "".join(theirs["cells"][0]["source"]), log


def test_idle_servers_are_culled(class_run):
    """Last: the same culler, run once with a 1-second timeout, stops the (now idle) servers."""
    import os
    import subprocess
    import sys

    hub = class_run["hub"]
    env = os.environ | {"JUPYTERHUB_API_TOKEN": hub.token}
    culler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--url={hub.url}/hub/api",
            "--timeout=1",
            "--cull-every=600",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        running = None
        while time.monotonic() < deadline:
            users = hub.api("GET", "/users")
            running = [u["name"] for u in users if u.get("servers")]
            if not running:
                break
            time.sleep(0.5)
        assert not running, f"still running after culling: {running}"
    finally:
        culler.terminate()
        culler.wait(10)
