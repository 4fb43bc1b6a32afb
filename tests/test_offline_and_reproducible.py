"""Offline and reproducible (issue 7, point 4): every lesson runs with the network blocked, and its
outputs equal the committed ones after sanitizing.

Why: a class may have no network, and a lesson that quietly fetches something works at home and
fails in the room. The kernel starts with a socket guard (a `sitecustomize` module on its
PYTHONPATH, so it is active before any lesson code runs) that refuses every connection and name
lookup except loopback — the kernel itself talks to this client over 127.0.0.1 — and logs every
refused attempt. Each lesson is executed once in that kernel; that run is compared with the
committed outputs (the run `make notebooks` made): two executions, identical after the regexes of
tests/nbval_sanitize.cfg. A probe cell appended to each run proves the guard was really active.
"""

from __future__ import annotations

import configparser
import copy
import json
import os
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
# Appended, not prepended: tools/ holds names (venv, lock) that must not shadow the stdlib.
sys.path.append(str(ROOT / "tools"))
import execute_notebooks  # noqa: E402 - tools/ is not a package

LESSONS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
IGNORED = {"nbval-ignore-output", "nbval-skip"}
PROBE_HOST = "192.0.2.1"  # TEST-NET-1: reserved for documentation, never a real host

GUARD = r'''
"""hamfoot offline guard: refuse any network use except loopback; log each refusal."""
import ipaddress
import os
import socket

_LOG = os.environ.get("HAMFOOT_GUARD_LOG")


def _loopback(host) -> bool:
    if host in (None, "", "localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _refuse(what):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(what + "\n")
    raise ConnectionRefusedError(f"hamfoot-offline-guard: blocked {what}")


def _guarded(method):
    def guarded(self, address, *args):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            _refuse(f"{method.__name__} {address!r}")
        return method(self, address, *args)
    return guarded


def _sendto(self, data, *args):
    address = args[-1]
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
        _refuse(f"sendto {address!r}")
    return _original_sendto(self, data, *args)


_original_sendto = socket.socket.sendto
socket.socket.connect = _guarded(socket.socket.connect)
socket.socket.connect_ex = _guarded(socket.socket.connect_ex)
socket.socket.sendto = _sendto
_getaddrinfo = socket.getaddrinfo


def getaddrinfo(host, *args, **kwargs):
    if not _loopback(host.decode() if isinstance(host, bytes) else host):
        _refuse(f"getaddrinfo {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = getaddrinfo
'''

PROBE = f"""
import socket
try:
    socket.create_connection(({PROBE_HOST!r}, 80), timeout=2)
    print("NOT BLOCKED")
except OSError as e:
    print("blocked" if "hamfoot-offline-guard" in str(e) else f"other error: {{e}}")
"""


def sanitizers() -> list[tuple[re.Pattern, str]]:
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


SANITIZE = sanitizers()


def clean(text: str) -> str:
    for pattern, replacement in SANITIZE:
        text = pattern.sub(replacement, text)
    return text


def outputs(cell) -> list:
    """A code cell's outputs as comparable values: kind, stream name or data, sanitized.
    Cells tagged nbval-ignore-output (live widgets) are compared by output kind only."""
    ignored = IGNORED & set(cell.get("metadata", {}).get("tags", []))
    found = []
    for out in cell.get("outputs", []):
        kind = out["output_type"]
        if ignored:
            found.append(kind)
        elif kind == "stream":
            found.append((kind, out["name"], clean(out["text"])))
        elif kind == "error":
            found.append((kind, out["ename"], clean(out["evalue"])))
        else:
            found.append(
                (
                    kind,
                    {
                        mime: clean(
                            value if isinstance(value, str) else json.dumps(value, sort_keys=True)
                        )
                        for mime, value in out.get("data", {}).items()
                    },
                )
            )
    return found


@pytest.fixture(scope="module")
def offline_env(tmp_path_factory):
    folder = tmp_path_factory.mktemp("offline-guard")
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = folder / "refused.log"
    env = {
        **os.environ,
        "HAMFOOT_GUARD_LOG": str(log),
        "MATPLOTLIBRC": str(ROOT / "tests" / "mplrc"),
        "SOURCE_DATE_EPOCH": "0",
        "PYTHONPATH": os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH")) if p),
    }
    return env, log


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_offline_and_reproduces_its_outputs(lesson, offline_env):
    env, log = offline_env
    log.unlink(missing_ok=True)
    committed = nbformat.read(lesson, as_version=4)
    run = copy.deepcopy(committed)
    run.cells.append(nbformat.v4.new_code_cell(PROBE))
    # run as `make notebooks` runs it; raises CellExecutionError if any cell fails
    execute_notebooks.client(run, lesson).execute(env=env)
    probe = "".join(o.get("text", "") for o in run.cells[-1].outputs)
    assert probe.strip() == "blocked", f"the network guard was not active in the kernel: {probe!r}"
    refused = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    assert all(PROBE_HOST in line for line in refused), (
        f"{lesson.name} tried the network: {refused}"
    )
    differences = [
        f"cell {i} ({''.join(cell.source)[:60]!r}): committed {outputs(cell)!r:.300} vs run "
        f"{outputs(fresh)!r:.300}"
        for i, (cell, fresh) in enumerate(zip(committed.cells, run.cells))
        if cell.cell_type == "code" and outputs(cell) != outputs(fresh)
    ]
    assert not differences, (
        f"{lesson.name}: outputs differ from the committed run after sanitizing "
        "(re-run `make notebooks` if the change is intended):\n" + "\n".join(differences)
    )


def test_comparison_ignores_only_what_the_sanitizer_names():
    """The comparison above can fail: a changed word differs; a memory address or image does not."""

    def cell(text: str, tags=()):
        c = nbformat.v4.new_code_cell("x", metadata={"tags": list(tags)})
        c.outputs = [
            nbformat.v4.new_output("execute_result", {"text/plain": text}, execution_count=1)
        ]
        return c

    assert outputs(cell("<Figure at 0x7f3a2b4c5d60>")) == outputs(
        cell("<Figure at 0x55aa11bb22cc>")
    )
    assert outputs(cell('<img src="data:image/png;base64,AAAA">')) == outputs(
        cell('<img src="data:image/png;base64,BBBB">')
    )
    assert outputs(cell("reserve 12°")) != outputs(cell("reserve 13°"))
    assert outputs(cell("widget A", ["nbval-ignore-output"])) == outputs(
        cell("widget B", ["nbval-ignore-output"])
    )
