"""Create or refresh the course's virtual environment (.venv) for `make`.

Why a script: `make` needs three things a one-line recipe gets wrong.
- A .venv belongs to one folder. A copied or moved course folder carries a .venv whose editable
  install and scripts point back at the ORIGINAL folder (its code and data). The folder is
  recorded in .venv/.home; when it differs, the .venv is rebuilt here.
- Installs are reproducible: the tested versions in requirements/lock.txt are used by default
  (`--latest` ignores them: `make test-latest`).
- First start is fast: uv installs the lock (from PyPI) when it is available, else it is
  bootstrapped into the .venv with pip; HAMFOOT_INSTALLER=pip uses plain pip instead.

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


def uv_command(venv: Path) -> list[str]:
    """A uv to run: one on PATH, one already in the .venv, or one installed there now."""
    for candidate in (shutil.which("uv"), venv / "bin" / "uv"):
        if candidate and Path(candidate).exists():
            return [str(candidate)]
    run([venv / "bin" / "python", "-m", "pip", "install", "-qq", "uv"])
    return [str(venv / "bin" / "uv")]


def install_command(venv: Path, installer: str, spec: str, latest: bool) -> tuple[list[str], dict]:
    python = venv / "bin" / "python"
    pins = [] if latest else ["-c", str(LOCK)]
    upgrade = ["--upgrade"] if latest else []
    if installer == "pip":
        cmd = [str(python), "-m", "pip", "install", "--quiet", *upgrade, *pins, "-e", spec]
        return cmd, dict(os.environ)
    # uv does not read pip's configuration; name PyPI explicitly and ignore stray UV_ settings.
    env = {k: v for k, v in os.environ.items() if not k.startswith("UV_")}
    env["UV_INDEX_URL"] = PYPI
    cmd = [*uv_command(venv), "pip", "install", "--quiet", "--python", str(python)]
    return [*cmd, *upgrade, *pins, "-e", spec], env


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
    if not (venv / "bin" / "python").exists():
        run([sys.executable, "-m", "venv", venv])
    spec = str(ROOT) + (f"[{','.join(args.extra)}]" if args.extra else "")
    cmd, env = install_command(venv, args.installer, spec, args.latest)
    run(cmd, env=env)
    (venv / ".home").write_text(f"{ROOT}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
