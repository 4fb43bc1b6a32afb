"""Start the local class hub and drive simulated students through it, as a browser would.

Why one driver: the 3-student test (tests/hub/) and the 40-student benchmark (bench/bench_class.py)
must exercise the same path, so their numbers mean the same thing. A student logs in through the
hub's login form, has a server spawned, pulls the course with nbgitpuller, opens a lesson (a
session and kernel through the server's REST API), runs every code cell over the kernel's
websocket, and moves a slider by sending the same comm message JupyterLab sends when a handle
moves. Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
VENV_BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
from classconf import load_class  # noqa: E402

CLASS = load_class()


class HubError(RuntimeError):
    """A step of a student's session failed; the message names the student and the step."""


def free_port_block(n: int = 3) -> int:
    """A port p with p … p+n-1 all free on 127.0.0.1 (proxy, hub API, proxy API)."""
    import socket

    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + n > 65535:
            continue
        socks = []
        try:
            for i in range(n):
                t = socket.socket()
                socks.append(t)
                t.bind(("127.0.0.1", base + i))
            return base
        except OSError:
            continue
        finally:
            for t in socks:
                t.close()
    raise RuntimeError("no block of free ports on 127.0.0.1")


# ---------------------------------------------------------------- a course repository
def make_course_repo(root: Path, notebooks: Path, where: Path) -> Path:
    """A bare git repository holding the course's lessons, as an educator's fork would.

    `root` is the project (for README/LICENSE), `notebooks` the lessons to publish. Returns the
    bare repository's path; `update_course_repo` commits changes to it.
    """
    work = where / "course-work"
    bare = where / "course.git"
    (work / "notebooks").mkdir(parents=True)
    for nb in sorted(notebooks.glob("*.ipynb")):
        shutil.copy2(nb, work / "notebooks" / nb.name)
    for name in ("LICENSE", "README.md"):
        if (root / name).exists():
            shutil.copy2(root / name, work / name)
    _git(work, "init", "-q", "-b", CLASS["course"]["branch"])
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", "Course lessons")
    _git(where, "clone", "-q", "--bare", str(work), str(bare))
    _git(work, "remote", "add", "origin", str(bare))
    return bare


def update_course_repo(where: Path, files: dict[str, str | bytes], message: str) -> None:
    """Commit `files` (path in the repo → content) and push them to the bare repository."""
    work = where / "course-work"
    for rel, data in files.items():
        p = work / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    _git(work, "add", "-A")
    _git(work, "commit", "-q", "-m", message)
    _git(work, "push", "-q", "origin", CLASS["course"]["branch"])


def _git(cwd: Path, *args: str) -> None:
    env = os.environ | {
        "GIT_AUTHOR_NAME": "hamfoot educator",
        "GIT_AUTHOR_EMAIL": "educator@example.invalid",
        "GIT_COMMITTER_NAME": "hamfoot educator",
        "GIT_COMMITTER_EMAIL": "educator@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


# ---------------------------------------------------------------- the hub
_MEMORY_KEYS = (
    "rss_mb",
    "pss_mb",
    "uss_mb",
    "server_rss_mb",
    "server_pss_mb",
    "kernel_rss_mb",
    "kernel_pss_mb",
    "cpu_s",
)


@dataclass
class Hub:
    """The local hub: JupyterHub + configurable-http-proxy + idle culler, in a state folder."""

    state: Path
    repo: str
    port: int = 0
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    token: str = field(default_factory=lambda: secrets.token_hex(24))
    proc: subprocess.Popen | None = None
    started_s: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def class_dir(self) -> Path:
        return self.state / "class"

    def start(self, timeout: float = 120) -> None:
        if not PROXY.exists():
            raise HubError(f"{PROXY} is missing: run `npm ci --prefix {HERE}` first")
        self.state.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port_block(3)
        env = os.environ | {
            "HAMFOOT_HUB_DIR": str(self.state),
            "HAMFOOT_HUB_PORT": str(self.port),
            "HAMFOOT_HUB_PASSWORD": self.password,
            "HAMFOOT_HUB_TOKEN": self.token,
            "HAMFOOT_COURSE_REPO": self.repo,
            "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        settings = self.state / "lab-settings"  # the browser suite's settings: no windowing
        for name, value in _browser_helpers().LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(value), encoding="utf-8")
        env["HAMFOOT_HUB_LAB_SETTINGS"] = str(settings)
        t0 = time.perf_counter()
        log = open(self.state / "hub.log", "ab")  # noqa: SIM115 - kept open for the hub's life
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "jupyterhub"), "-f", str(CONFIG)],
            cwd=self.state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HubError(f"the hub exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2) as r:
                    if r.status == 200:
                        self.started_s = time.perf_counter() - t0
                        return
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise HubError(f"the hub did not answer within {timeout:.0f} s: {self.log_tail()}")

    def log_tail(self, n: int = 30) -> str:
        p = self.state / "hub.log"
        return "\n".join(p.read_text(errors="replace").splitlines()[-n:]) if p.exists() else ""

    def api(self, method: str, path: str, body: dict | None = None) -> dict | None:
        """A synchronous call to the hub's REST API with the driver's token."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def processes(self):
        """Every process of this hub's students (servers and kernels), found by their class dir."""
        import psutil

        mine = str(self.class_dir)
        found = []
        for p in psutil.process_iter(["pid"]):
            try:
                env = p.environ()
            except (psutil.Error, OSError):
                continue
            if env.get("HAMFOOT_CLASS_DIR") == mine and env.get("JUPYTERHUB_USER"):
                found.append((env["JUPYTERHUB_USER"], p))
        return found

    def memory(self) -> dict[str, dict[str, float]]:
        """Per student, now: RSS, PSS (shared pages split among sharers) and USS (pages of theirs
        alone), in MB, and CPU seconds used, of their server + kernel process tree; the same RSS
        and PSS also for the server and the kernels apart (server_rss_mb, kernel_pss_mb, …), so a
        change is seen where it happens."""
        import psutil

        per: dict[str, dict[str, float]] = {}
        for user, p in self.processes():
            try:
                info = p.memory_full_info()
                kind = "kernel" if "ipykernel" in " ".join(p.cmdline()) else "server"
                cpu = p.cpu_times()
            except (psutil.Error, OSError):
                continue
            row = per.setdefault(user, {**dict.fromkeys(_MEMORY_KEYS, 0.0), "processes": 0})
            rss, pss = info.rss / 2**20, getattr(info, "pss", info.uss) / 2**20
            row["rss_mb"] += rss
            row["pss_mb"] += pss
            row["uss_mb"] += info.uss / 2**20
            row[f"{kind}_rss_mb"] += rss
            row[f"{kind}_pss_mb"] += pss
            row["cpu_s"] += cpu.user + cpu.system
            row["processes"] += 1
        return per

    def stop(self, timeout: float = 30) -> list[int]:
        """Stop the hub (it stops its students' servers), then anything of ours left; → leftovers."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        leftovers = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            leftovers = self.processes()
            if not leftovers:
                break
            time.sleep(0.5)
        for _, p in leftovers + self.helpers():  # still ours: end them
            try:
                p.kill()
            except Exception:  # noqa: BLE001 - already gone
                pass
        return [p.pid for _, p in leftovers]

    def helpers(self):
        """The hub's own helper processes still running: its proxy (it carries the hub's
        environment) and its services such as the idle culler (they run in the hub's folder).

        Why: both run in sessions of their own, out of reach of the signal that stops the hub,
        and the hub ends them last while shutting down: a hub that needs longer than stop()'s
        timeout is killed first and leaves them orphaned (the culler, stopped with SIGINT inside
        a request, may also just run on)."""
        import psutil

        found = []
        for p in psutil.process_iter(["pid"]):
            try:
                env = p.environ()
                if p.pid == getattr(self.proc, "pid", None) or env.get("JUPYTERHUB_USER"):
                    continue
                if env.get("HAMFOOT_HUB_DIR") == str(self.state) or (
                    env.get("JUPYTERHUB_SERVICE_NAME") and Path(p.cwd()) == self.state.resolve()
                ):
                    found.append((" ".join(p.cmdline()[:2]), p))
            except (psutil.Error, OSError):
                continue
        return found


# ---------------------------------------------------------------- a student
def _cookies(headers, jar: dict[str, str]) -> None:
    for raw in headers.get_list("Set-Cookie"):
        c = SimpleCookie()
        c.load(raw)
        for k, m in c.items():
            jar[k] = m.value


def _source(cell: dict) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


@dataclass
class Student:
    """One simulated student of a class on the local hub; each step records its time (s)."""

    hub: Hub
    name: str
    times: dict[str, float] = field(default_factory=dict)
    slider_s: list[float] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    kernel_id: str | None = None
    _ws: object = None
    _comms: dict[str, dict] = field(default_factory=dict)
    _waiters: dict[str, asyncio.Future] = field(default_factory=dict)
    _updates: list = field(default_factory=list)
    _reader: asyncio.Task | None = None
    slider_comm: str | None = None
    figure_comm: str | None = None
    errors: list[str] = field(default_factory=list)
    spawn_retries: int = 0  # servers asked for again after the hub gave up on one

    # ---- HTTP
    async def _fetch(self, path: str, method: str = "GET", body=None, *, auth="token", **kw):
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest

        # tornado's default pool (10 requests at once) would queue a class's requests in the
        # driver and count that wait as the hub's slowness
        AsyncHTTPClient.configure(None, max_clients=200)

        headers = kw.pop("headers", {})
        if auth == "token":
            headers["Authorization"] = f"token {self.hub.token}"
        elif auth == "cookie" and self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if isinstance(body, dict):
            body, headers["Content-Type"] = json.dumps(body), "application/json"
        req = HTTPRequest(
            self.hub.url + path,
            method=method,
            body=body,
            headers=headers,
            follow_redirects=False,
            request_timeout=kw.pop("timeout", 300),
            **kw,
        )
        return await AsyncHTTPClient().fetch(req, raise_error=False)

    def _check(self, resp, step: str, ok=(200, 201, 202, 204)) -> None:
        if resp.code not in ok:
            body = (resp.body or b"")[:300].decode(errors="replace")
            raise HubError(f"{self.name}: {step} answered HTTP {resp.code}: {body}")

    async def login(self) -> None:
        """Through the hub's login form, with its XSRF cookie, as a browser does."""
        t0 = time.perf_counter()
        r = await self._fetch("/hub/login", auth=None)
        self._check(r, "GET /hub/login")
        _cookies(r.headers, self.cookies)
        xsrf = self.cookies.get("_xsrf", "")
        form = urlencode({"username": self.name, "password": self.hub.password, "_xsrf": xsrf})
        r = await self._fetch(
            "/hub/login",
            "POST",
            form,
            auth="cookie",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        self._check(r, "POST /hub/login", ok=(302, 303))
        _cookies(r.headers, self.cookies)
        if "jupyterhub-hub-login" not in self.cookies:
            raise HubError(f"{self.name}: login did not set the hub's login cookie")
        self.times["login_s"] = time.perf_counter() - t0

    async def spawn(self, timeout: float = 600) -> None:
        """Ask the hub for this student's server and wait until it is ready."""
        t0 = time.perf_counter()
        r = await self._fetch(f"/hub/api/users/{self.name}/server", "POST", {})
        self._check(r, "spawn request", ok=(201, 202, 400))  # 400: already running
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = await self._fetch(f"/hub/api/users/{self.name}")
            self._check(r, "user status")
            server = json.loads(r.body).get("servers", {}).get("")
            if server and server.get("ready"):
                self.times["spawn_s"] = time.perf_counter() - t0
                return
            if server is None and time.perf_counter() - t0 > 5:
                # the hub gave up on the first server: ask again, as a student clicks Start again
                r2 = await self._fetch(f"/hub/api/users/{self.name}/server", "POST", {})
                if r2.code not in (201, 202, 400):
                    self._check(r2, "spawn retry")
                self.spawn_retries += r2.code in (201, 202)
            await asyncio.sleep(0.25)
        raise HubError(f"{self.name}: server not ready within {timeout:.0f} s")

    async def pull(self, repo: str | None = None) -> str:
        """nbgitpuller's pull API (what its status page calls): → the streamed log text."""
        c = CLASS["course"]
        query = urlencode(
            {"repo": repo or self.hub.repo, "branch": c["branch"], "targetpath": c["target"]},
            quote_via=quote,
        )
        t0 = time.perf_counter()
        r = await self._fetch(f"/user/{self.name}/git-pull/api?{query}")
        self._check(r, "nbgitpuller pull")
        events = [
            json.loads(line[6:])
            for line in r.body.decode(errors="replace").splitlines()
            if line.startswith("data: ")
        ]
        phases = [e.get("phase") for e in events]
        if "finished" not in phases:
            msg = next((e.get("message") for e in events if e.get("phase") == "error"), phases)
            raise HubError(f"{self.name}: nbgitpuller did not finish: {msg}")
        self.times["pull_s"] = time.perf_counter() - t0
        return "".join(e.get("output", "") for e in events)

    # ---- the kernel
    async def open_lesson(self, path: str) -> dict:
        """Open the notebook (a session and kernel), connect to the kernel; → the notebook."""
        r = await self._fetch(f"/user/{self.name}/api/contents/{quote(path)}?content=1")
        self._check(r, f"open {path}")
        nb = json.loads(r.body)["content"]
        r = await self._fetch(
            f"/user/{self.name}/api/sessions",
            "POST",
            {
                "path": path,
                "name": Path(path).name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        self._check(r, "start a kernel session")
        self.kernel_id = json.loads(r.body)["kernel"]["id"]
        await self._connect()
        return nb

    async def _connect(self) -> None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = (
            f"ws://127.0.0.1:{self.hub.port}/user/{self.name}/api/kernels/{self.kernel_id}"
            f"/channels?session_id={uuid.uuid4().hex}"
        )
        # the server holds the upgrade until the kernel answers, up to its kernel_info_timeout
        # (60 s); tornado's 20 s default would give up first where a browser waits
        req = HTTPRequest(
            url,
            headers={"Authorization": f"token {self.hub.token}"},
            connect_timeout=120,
            request_timeout=120,
        )
        self._ws = await websocket_connect(req, max_message_size=200 * 2**20)
        self._reader = asyncio.ensure_future(self._read())
        # wait until the kernel answers (it may still be starting), at most 3 minutes
        for _ in range(36):
            try:
                await asyncio.wait_for(self._request("kernel_info_request", {}), 5)
                return
            except asyncio.TimeoutError:
                continue
        raise HubError(f"{self.name}: kernel never answered kernel_info")

    def _send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        msg = {
            "header": {
                "msg_id": msg_id,
                "msg_type": msg_type,
                "username": self.name,
                "session": uuid.uuid4().hex,
                "date": "",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }
        self._ws.write_message(json.dumps(msg))
        return msg_id

    async def _request(self, msg_type: str, content: dict, timeout: float = 300) -> dict:
        """Send on shell; resolve when the kernel is idle again for this request (→ the reply)."""
        if self._reader is not None and self._reader.done():
            raise HubError(f"{self.name}: the kernel connection is closed")
        msg_id = self._send(msg_type, content)
        fut = asyncio.get_running_loop().create_future()
        # comm messages get no reply: the kernel going idle again is their answer
        self._waiters[msg_id] = {
            "future": fut,
            "reply": None,
            "idle": False,
            "wants_reply": msg_type != "comm_msg",
        }
        try:
            return await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self._waiters.pop(msg_id, None)
            raise HubError(f"{self.name}: no answer to {msg_type} within {timeout:.0f} s") from None

    async def _read(self) -> None:
        try:
            await self._read_messages()
        except Exception as e:  # noqa: BLE001 - fail every waiting request, don't hang
            error = HubError(f"{self.name}: reading the kernel websocket failed: {e!r}")
            for w in self._waiters.values():
                if not w["future"].done():
                    w["future"].set_exception(error)
            self._waiters.clear()

    async def _read_messages(self) -> None:
        while True:
            raw = await self._ws.read_message()
            if raw is None:
                raise HubError("the kernel websocket closed")
            if isinstance(raw, bytes):  # binary frame (buffers): not used by these widgets
                continue
            msg = json.loads(raw)
            parent = msg.get("parent_header", {}).get("msg_id")
            kind = msg.get("header", {}).get("msg_type") or msg.get("msg_type") or ""
            content = msg.get("content", {})
            w = self._waiters.get(parent)
            if kind == "comm_open":
                data = content.get("data", {})
                self._comms[content["comm_id"]] = dict(data.get("state", {}))
            elif kind == "comm_msg":
                data = content.get("data", {})
                if data.get("method") in ("update", "echo_update"):
                    cid = content["comm_id"]
                    self._comms.setdefault(cid, {}).update(data.get("state", {}))
                    self._updates.append((time.perf_counter(), cid, parent))
            elif kind == "error" and w is not None:
                self.errors.append(f"{content.get('ename')}: {content.get('evalue')}")
            if w is None:
                continue
            if msg.get("channel") == "shell" and kind.endswith("_reply"):
                w["reply"] = content
            if kind == "status" and content.get("execution_state") == "idle":
                w["idle"] = True
            if w["idle"] and (w["reply"] is not None or not w["wants_reply"]):
                self._waiters.pop(parent, None)
                if not w["future"].done():
                    w["future"].set_result(w["reply"])

    async def run_all(self, nb: dict) -> None:
        """Execute every code cell in order; any error output is a failure."""
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code" or not _source(cell).strip():
                continue
            reply = await self._request(
                "execute_request",
                {
                    "code": _source(cell),
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
            if (reply or {}).get("status") != "ok" or self.errors:
                raise HubError(f"{self.name}: cell {i} failed: {self.errors or reply}")
        self._find_chain_explorer()

    def _find_chain_explorer(self) -> None:
        sliders = [
            cid
            for cid, s in self._comms.items()
            if s.get("_model_name") == "FloatSliderModel"
            and str(s.get("description", "")).startswith("AKE deficit")
        ]
        figures = [
            cid
            for cid, s in self._comms.items()
            if s.get("_model_name") == "HTMLModel" and "<img" in str(s.get("value", ""))
        ]
        if sliders and figures:
            self.slider_comm, self.figure_comm = sliders[0], figures[0]

    async def move_slider(self, value: float) -> float:
        """Move the chain explorer's AKE slider as JupyterLab does; → s until the new figure."""
        if not (self.slider_comm and self.figure_comm):
            raise HubError(f"{self.name}: no chain explorer slider and figure found in the lesson")
        before = self._comms[self.figure_comm].get("value")
        start = len(self._updates)
        t0 = time.perf_counter()
        await self._request(
            "comm_msg",
            {
                "comm_id": self.slider_comm,
                "data": {"method": "update", "state": {"value": value}, "buffer_paths": []},
            },
        )
        got = [t for t, cid, _ in self._updates[start:] if cid == self.figure_comm]
        if not got or self._comms[self.figure_comm].get("value") == before:
            raise HubError(f"{self.name}: the figure did not change after moving the slider")
        took = got[-1] - t0
        self.slider_s.append(took)
        return took

    async def hand_in(self, doc: dict) -> None:
        """From the student's kernel, save an answers file in the class folder, atomically, as
        hamfoot.progress does on every answer (COMMON interface 4)."""
        code = (
            "import json as _j, os as _o, tempfile as _t\n"
            f"_doc = _j.loads({json.dumps(json.dumps(doc))})\n"
            "_dir = _o.environ['HAMFOOT_CLASS_DIR']\n"
            "_fd, _tmp = _t.mkstemp(dir=_dir, suffix='.tmp')\n"
            "with _o.fdopen(_fd, 'w') as _f:\n    _j.dump(_doc, _f)\n"
            "_o.replace(_tmp, _o.path.join(_dir, _doc['student'] + '.json'))\n"
        )
        reply = await self._request(
            "execute_request",
            {
                "code": code,
                "silent": True,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        if (reply or {}).get("status") != "ok":
            raise HubError(f"{self.name}: could not save answers in the class folder: {reply}")

    async def close(self) -> None:
        if self._ws is not None:
            self._ws.close()
        if self._reader is not None:
            self._reader.cancel()


def lesson_path(lesson: str) -> str:
    from hamfoot.hub import lesson_file

    return f"{CLASS['course']['target']}/notebooks/{lesson_file(lesson)}"


def student_names(n: int) -> list[str]:
    return [f"student{i:02d}" for i in range(1, n + 1)]


def html_state(value: str) -> str:
    """The figure's alt text, to compare two figures in words (and in failure messages)."""
    m = re.search(r'alt="([^"]*)"', value or "")
    return m.group(1) if m else ""


# ---------------------------------------------------------------- a class's answers
def simulated_answers(n: int, lessons=("02",), seed: int = 14) -> dict[str, dict]:
    """Answer files (COMMON interface 4) of `n` students: each answers every quiz question of
    `lessons` and every step of one case, choosing at random but deterministically (misconceptions
    included). → pseudonym → document, and the count of what each chose is recomputable."""
    import random
    from datetime import datetime, timezone

    from hamfoot.classroom import questions

    rng = random.Random(seed)
    stamp = datetime(2027, 3, 1, 9, 0, tzinfo=timezone.utc).isoformat().replace("+00:00", "Z")
    known = questions(None)
    docs = {}
    for i in range(n):
        pseudonym = f"s{i:03d}-{rng.randrange(16**6):06x}"
        answers = {}
        for lesson in lessons:
            quiz = [q for q in known.values() if q.kind == "quiz" and q.lesson == lesson]
            cases = sorted({k.split("/")[0] for k, q in known.items() if q.kind == "case"})
            steps = [q for k, q in known.items() if q.kind == "case" and k.startswith(cases[0])]
            for q in quiz + steps:
                if rng.random() < 0.1:  # a few questions left unanswered
                    continue
                if q.numeric:
                    chosen = rng.choice([155, 155, 150, 25])
                    correct = chosen == 155  # the fixture's rule; the real check is the widget's
                else:
                    ids = [o.id for o in q.options]
                    if len(q.right) > 1:
                        chosen = sorted(set(rng.sample(ids, rng.randint(1, len(ids)))))
                    else:
                        chosen = [rng.choice(ids + sorted(q.right) * 2)]
                    correct = set(chosen) == set(q.right)
                answers[q.key] = {
                    "kind": q.kind,
                    "lesson": lesson,
                    "chosen": chosen,
                    "correct": correct,
                    "at": stamp,
                }
        docs[pseudonym] = {"format": "hamfoot-progress/1", "student": pseudonym, "answers": answers}
    return docs


def write_answers(folder: Path, docs: dict[str, dict]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, doc in docs.items():
        p = folder / f"{name}.json"
        p.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        paths.append(p)
    return paths


# ---------------------------------------------------------------- a student in a real browser
def _browser_helpers():
    """The page scripts the browser suite already uses (kernel readiness, run all)."""
    tests = HERE.parent / "tests"
    if str(tests) not in sys.path:
        sys.path.insert(0, str(tests))
    from browser import _helpers

    return _helpers


async def launch_browser(pw):
    h = _browser_helpers()
    return await pw.chromium.launch(executable_path=h.CHROMIUM, args=h.CHROMIUM_ARGS)


async def browser_student(
    browser, hub: Hub, name: str, lesson: str, presses: int = 4, keep: bool = False, log=None
) -> dict:
    """Log in through the form, follow the nbgitpuller link to `lesson`, run it, press
    ArrowRight on the chain explorer's slider; → timings (s) and any request that left 127.0.0.1.
    With `keep`, the page stays open: the result's "press"(n) presses again, "close"() ends it."""
    from hamfoot.hub import pull_path

    h = _browser_helpers()
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    async def route(r):
        if h.is_local(r.request.url):
            await r.continue_()
        else:
            outside.append(r.request.url)
            await r.abort()

    await context.route("**/*", route)
    page = await context.new_page()
    out: dict = {"name": name, "outside": outside}
    step = "start"

    def at(what: str) -> None:
        nonlocal step
        step = what
        if log:
            log(f"{name} (browser): {what}")

    try:
        t0 = time.perf_counter()
        at("login")
        await page.goto(f"{hub.url}/hub/login")
        await page.fill("#username_input", name)
        await page.fill("#password_input", hub.password)
        await page.click("#login_submit")
        await page.wait_for_url("**/hub/**", timeout=30_000)
        out["login_s"] = time.perf_counter() - t0
        c = CLASS["course"]
        link = f"{hub.url}/hub/user-redirect/" + pull_path(
            hub.repo, c["branch"], lesson, c["target"]
        )
        t1 = time.perf_counter()
        at("follow the pull link")
        await page.goto(link)
        await page.wait_for_function(
            "() => window.jupyterapp !== undefined", timeout=300_000, polling=100
        )
        out["link_to_lab_s"] = time.perf_counter() - t1
        out["url"] = page.url
        at("wait for the kernel")
        await page.evaluate(h.READY_JS)
        await page.wait_for_function("() => window.__hfReady", timeout=180_000, polling=50)
        ready = await page.evaluate("() => window.__hfReady")
        if str(ready).startswith("ERROR"):
            raise HubError(f"{name}: kernel not ready in the browser: {ready}")
        at("run all cells")
        await page.evaluate(h.RUN_ALL_JS)
        await page.wait_for_function("() => window.__hfRan", timeout=300_000, polling=50)
        out["lesson_ready_s"] = time.perf_counter() - t1
        cells = await page.evaluate(h.CELLS_JS)
        errors = [o for cell in cells for o in cell["outputs"] if o["output_type"] == "error"]
        if errors:
            raise HubError(f"{name}: the lesson shows an error: {errors[0]['ename']}")
        index = next(c["index"] for c in cells if "chain_explorer(" in c["source"])
        output = page.locator(f'[data-hamfoot-cell="{index}"] .jp-OutputArea-output').first
        handle = output.locator(".widget-slider .noUi-handle").first
        await handle.wait_for(timeout=60_000)
        await output.locator("img").first.wait_for(timeout=60_000)
        await handle.scroll_into_view_if_needed()
        await handle.focus()

        async def press(n: int) -> list[float]:
            times = []
            for i in range(n):
                old = await output.locator("img").first.get_attribute("src")
                await handle.focus()  # a student idle for a minute clicks the slider again
                t = time.perf_counter()
                await page.keyboard.press("ArrowRight")
                try:
                    await page.wait_for_function(
                        "([el, old]) => { const i = el.querySelector('img');"
                        " return i && i.getAttribute('src') !== old; }",
                        arg=[await output.element_handle(), old],
                        timeout=30_000,
                        polling="raf",
                    )
                except Exception:
                    await page.screenshot(path=str(hub.state / f"{name}-press-{i}.png"))
                    raise
                times.append(time.perf_counter() - t)
            return times

        at("press keys")
        out["key_to_figure_s"] = await press(presses)
    except BaseException as e:
        try:
            await page.screenshot(path=str(hub.state / f"{name}-failure.png"))
        except Exception:  # noqa: BLE001 - the page may be gone
            pass
        await context.close()
        if isinstance(e, Exception) and not isinstance(e, HubError):
            raise HubError(f"{name} (browser) at step '{step}': {e}") from e
        raise
    if keep:
        out["press"], out["close"] = press, context.close
    else:
        await context.close()
    return out
