"""Create or refresh the course's virtual environment (.venv) for `make`.

Why a script: `make` needs three things a one-line recipe gets wrong.
- A .venv belongs to one folder. A copied or moved course folder carries a .venv whose editable
  install and scripts point back at the ORIGINAL folder (its code and data). The folder is
  recorded in .venv/.home; when it differs, the .venv is rebuilt here.
- Installs are reproducible: the tested versions in requirements/lock.txt are used by default
  (`--latest` ignores them: `make test-latest`).
- First start is fast: uv installs the lock (from PyPI). A uv on PATH is used; otherwise the
  lock's uv is bootstrapped once into ~/.cache/hamfoot with this Python's pip. Without either,
  or with HAMFOOT_INSTALLER=pip, plain pip does the same job, more slowly.

Usage: python3 tools/venv.py [--extra test] [--latest] [--installer uv|pip]
Standard library only: it runs before the .venv exists.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
PYPI = "https://pypi.org/simple"


def home_of(venv: Path) -> str | None:
    try:
        return (venv / ".home").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def belongs_here(venv: Path, root: Path) -> bool:
    """True when `venv` was built for `root` (an unmarked .venv is treated as foreign)."""
    return home_of(venv) == str(root)


def discard_if_foreign(venv: Path, root: Path) -> bool:
    """Remove a .venv built for another folder; True when it did."""
    if not venv.exists() or belongs_here(venv, root):
        return False
    was = home_of(venv) or "an unknown folder"
    print(f"tools/venv.py: {venv} was built for {was}; rebuilding it for {root}", flush=True)
    shutil.rmtree(venv)
    return True


def run(cmd: list[str], **kw) -> None:
    done = subprocess.run(cmd, **kw)
    if done.returncode != 0:
        sys.exit(f"tools/venv.py: `{' '.join(map(str, cmd))}` failed (exit {done.returncode})")


def pinned(name: str) -> str | None:
    """The version requirements/lock.txt pins for `name` (the first line that names it)."""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{name}=="):
            return line.split("==", 1)[1].split(";")[0].strip()
    return None


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hamfoot"


def find_uv() -> str | None:
    """A uv on PATH, or the one an earlier clone bootstrapped into the user's cache, or one
    bootstrapped there now with this Python's pip (seconds, once per machine)."""
    if shutil.which("uv"):
        return shutil.which("uv")
    version = pinned("uv") or "latest"
    target = cache_dir() / f"uv-{version}"
    uv = target / "bin" / "uv"
    if not uv.exists():
        spec = f"uv=={version}" if version != "latest" else "uv"
        cmd = [sys.executable, "-m", "pip", "install", "-qq", "--target", str(target), spec]
        if subprocess.run(cmd).returncode != 0 or not uv.exists():
            shutil.rmtree(target, ignore_errors=True)
            return None
    return str(uv)


def uv_env() -> dict[str, str]:
    """uv does not read pip's configuration; name PyPI and ignore stray UV_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    env["UV_INDEX_URL"] = PYPI
    return env


def with_uv(uv: str, venv: Path, spec: str, latest: bool) -> None:
    python = venv / "bin" / "python"
    if not python.exists():
        run([uv, "venv", "--quiet", "--seed", "--python", sys.executable, str(venv)], env=uv_env())
    cmd = [uv, "pip", "install", "--quiet", "--python", str(python)]
    cmd += ["--upgrade", "-e", spec] if latest else ["-c", str(LOCK), "-e", spec]
    # The lock's wheels are usually in uv's cache: try without the network first (no index
    # look-ups, the slowest part of a warm install), then with it.
    if latest or subprocess.run([*cmd, "--offline"], env=uv_env(), capture_output=True).returncode:
        run(cmd, env=uv_env())


def with_pip(venv: Path, spec: str, latest: bool) -> None:
    python = venv / "bin" / "python"
    if not python.exists():
        run([sys.executable, "-m", "venv", str(venv)])
    pins = ["--upgrade"] if latest else ["-c", str(LOCK)]
    run([str(python), "-m", "pip", "install", "--quiet", *pins, "-e", spec])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", default=[], help="optional extra, e.g. test")
    parser.add_argument("--latest", action="store_true", help="newest releases, not the lock")
    parser.add_argument(
        "--installer", choices=("uv", "pip"), default=os.environ.get("HAMFOOT_INSTALLER", "uv")
    )
    parser.add_argument("--venv", type=Path, default=ROOT / ".venv")
    args = parser.parse_args(argv)
    venv = args.venv
    discard_if_foreign(venv, ROOT)
    spec = str(ROOT) + (f"[{','.join(args.extra)}]" if args.extra else "")
    uv = find_uv() if args.installer == "uv" else None
    if uv:
        with_uv(uv, venv, spec, args.latest)
    else:
        with_pip(venv, spec, args.latest)
    (venv / ".home").write_text(f"{ROOT}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
