"""Make sure the browser tests can run before `make test` starts them.

Why: without Chromium every browser test errors with its own stack trace. This runs first and
either finds Debian's Chromium (plus Node.js and npm, which the slide-deck export uses), installs
them with apt-get when it is root on Debian/Ubuntu, or stops at once with one line that says what
to install and how to skip the browser tests. It never downloads a browser (no
`playwright install`). In CI (`--ci`) skipping is refused: the browser tests always run there.

Usage: python3 tools/browser_setup.py [--ci] [--pytest-args "$PYTEST_ARGS"]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
SKIP_HINT = "make test PYTEST_ARGS='-m \"not browser\"'"
PACKAGES = {"chromium": "chromium", "node": "nodejs", "npm": "npm"}


@dataclass(frozen=True)
class Decision:
    action: str  # "ready", "skip", "install" or "stop"
    packages: tuple[str, ...] = ()
    message: str = ""


def skips_browser(pytest_args: str) -> bool:
    """True when the pytest arguments deselect the browser tests (`-m "not browser"`)."""
    return re.search(r"not\s+browser", pytest_args) is not None


def missing(chromium: Path = CHROMIUM, which=shutil.which) -> tuple[str, ...]:
    """The Debian packages the browser tests need that are not installed."""
    found = {"chromium": chromium.exists(), "node": which("node"), "npm": which("npm")}
    return tuple(PACKAGES[tool] for tool, ok in found.items() if not ok)


def decide(need: tuple[str, ...], *, skipping: bool, ci: bool, root: bool, apt: bool) -> Decision:
    if ci and skipping:
        return Decision("stop", message="CI never skips the browser tests: drop -m 'not browser'")
    if not need:
        return Decision("ready")
    if skipping:
        return Decision("skip")
    if root and apt:
        return Decision("install", need)
    how = "as root: apt-get install -y " + " ".join(need)
    if not apt:
        how = "with your system's package manager: " + " ".join(need)
    return Decision(
        "stop",
        need,
        f"make test: the browser tests need {', '.join(need)}; install {how} "
        f"(Chromium must be at {CHROMIUM}), or skip them with: {SKIP_HINT}",
    )


def install(packages: tuple[str, ...], chromium: Path = CHROMIUM) -> str:
    """apt-get install, quietly; '' on success, else one line saying what went wrong."""
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return f"make test: `{' '.join(cmd)}` failed ({last}); or skip with: {SKIP_HINT}"
    if not chromium.exists():
        return f"make test: chromium installed but {chromium} is missing; or skip with: {SKIP_HINT}"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ci", action="store_true", help="refuse to skip the browser tests")
    parser.add_argument(
        "--pytest-args",
        default=os.environ.get("PYTEST_ARGS", ""),
        help="the PYTEST_ARGS given to make test (default: that environment variable)",
    )
    parser.add_argument("--chromium", type=Path, default=CHROMIUM, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    need = missing(args.chromium)
    decision = decide(
        need,
        skipping=skips_browser(args.pytest_args),
        ci=args.ci or bool(os.environ.get("CI")),
        root=hasattr(os, "geteuid") and os.geteuid() == 0,
        apt=shutil.which("apt-get") is not None,
    )
    if decision.action == "stop":
        print(decision.message, file=sys.stderr)
        return 1
    if decision.action == "install":
        print(f"make test: installing {' '.join(decision.packages)} with apt-get", flush=True)
        problem = install(decision.packages, args.chromium)
        if problem:
            print(problem, file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
