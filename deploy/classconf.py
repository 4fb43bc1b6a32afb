"""Read deploy/class.yaml, the one place a class's hub settings live, and turn them into values.

Why a module: the local hub config, the deployment test and the class benchmark all need the same
numbers (limits, culling, the pull link); reading them here once keeps them the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from hamfoot.hub import pull_path as _pull_path

CLASS_FILE = Path(__file__).resolve().parent / "class.yaml"
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?", re.IGNORECASE)
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_REQUIRED = {
    "course": ("repo", "branch", "target", "lesson"),
    "image": ("files", "extra_packages"),
    "resources": (
        "memory_guarantee",
        "memory_limit",
        "cpu_guarantee",
        "cpu_limit",
        "start_timeout",
    ),
    "culling": ("timeout", "every"),
    "server": ("extensions", "args"),
}


def load_class(path: str | Path = CLASS_FILE) -> dict:
    """The validated class settings; ValueError naming the file, section and field otherwise."""
    path = Path(path)
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(doc, dict):
        raise ValueError(f"{path}: expected a mapping of sections, got {type(doc).__name__}")
    for section, keys in _REQUIRED.items():
        if not isinstance(doc.get(section), dict):
            raise ValueError(f"{path}: section '{section}' is missing")
        for key in keys:
            if doc[section].get(key) in (None, ""):
                raise ValueError(f"{path}: '{section}.{key}' is missing")
    ext, args = doc["server"]["extensions"], doc["server"]["args"]
    if not isinstance(ext, dict) or not all(isinstance(v, bool) for v in ext.values()):
        raise ValueError(f"{path}: 'server.extensions' must map each extension to true or false")
    if not isinstance(args, list) or not all(str(a).startswith("--") for a in args):
        raise ValueError(f"{path}: 'server.args' must be a list of --Class.option=value")
    r = doc["resources"]
    if size_bytes(r["memory_guarantee"]) > size_bytes(r["memory_limit"]):
        raise ValueError(f"{path}: 'resources.memory_guarantee' is above memory_limit")
    if float(r["cpu_guarantee"]) > float(r["cpu_limit"]):
        raise ValueError(f"{path}: 'resources.cpu_guarantee' is above cpu_limit")
    return doc


def size_bytes(text: str | int) -> int:
    """'384M' / '1G' (binary units, as JupyterHub and Kubernetes' M/G suffixes read here) → bytes."""
    if isinstance(text, int):
        return text
    m = _SIZE.fullmatch(str(text).strip())
    if not m:
        raise ValueError(f"{text!r} is not a memory size such as 512M or 1G")
    return int(float(m.group(1)) * _UNITS[m.group(2).upper()])


def server_args(doc: dict) -> list[str]:
    """The command-line options of every student's server: which server extensions it loads (each
    named on or off, so one enabled in the image but not wanted stays off) and the further args."""
    on_off = [
        f"--ServerApp.jpserver_extensions={name}={enabled}"
        for name, enabled in doc["server"]["extensions"].items()
    ]
    return on_off + [str(a) for a in doc["server"]["args"]]


def pull_path(doc: dict, repo: str | None = None) -> str:
    """The nbgitpuller path (``git-pull?…``) a student's server opens after login."""
    course = doc["course"]
    return _pull_path(repo or course["repo"], course["branch"], course["lesson"], course["target"])
