"""Server safety (issue 7 point 5, issue 10 point 6): `hamfoot start` (which `make start` runs)
listens on 127.0.0.1 only, refuses requests without its token, never puts the token on a command
line, gives a second course its own port and URL, and stops with its kernels on SIGTERM or
Ctrl-C. A folder or home it cannot write to is one clear line.

Why: a course server reachable from the room's network, usable without its token, or whose token
any local user can read with `ps`, hands others a Python shell on the learner's machine; a URL
that points at someone else's server, or kernels left running, confuse a classroom.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "hamfoot-test-" + os.urandom(12).hex()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port: int) -> set[str]:
    """Addresses with a socket in LISTEN state on `port`, from /proc/net/tcp and tcp6."""
    found = set()
    for name, size in (("tcp", 8), ("tcp6", 32)):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                # /proc prints each 32-bit word in host (little-endian) order
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(socket.inet_ntop(socket.AF_INET if size == 8 else socket.AF_INET6, words))
    return found


def get(port: int, path: str, token: str | None = None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Authorization": f"token {token}"} if token else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def other_addresses() -> list[str]:
    """This machine's non-loopback IPv4 addresses (where someone on the network would connect)."""
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [a for a in out.split() if ":" not in a and not a.startswith("127.")]


HAMFOOT = [sys.executable, "-m", "hamfoot"]
URL = re.compile(
    r"http://127\.0\.0\.1:(\d+)/lab/tree/00-start-here\.ipynb\?token=([A-Za-z0-9_-]{16,})"
)


def start(folder: Path, log: Path, *args: str, token: str | None = None) -> subprocess.Popen:
    """`hamfoot start FOLDER` as a learner runs it, in its own session (like its own terminal)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(folder.parent / "runtime")}
    if token:
        env["HAMFOOT_TOKEN"] = token
    return subprocess.Popen(
        [*HAMFOOT, "start", str(folder), "--no-browser", *args],
        cwd=folder.parent,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def printed_url(process: subprocess.Popen, log: Path, timeout: float = 180) -> tuple[int, str]:
    """The port and token the command printed once its server answered."""
    deadline = time.monotonic() + timeout
    while True:
        found = URL.search(log.read_text())
        if found:
            return int(found.group(1)), found.group(2)
        assert process.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, f"no URL within {timeout} s: {log.read_text()[-2000:]}"
        time.sleep(0.3)


def tree(pid: int) -> list[int]:
    from hamfoot.server import descendants

    return [pid, *descendants(pid)]


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def start_kernel(port: int, token: str) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
    conn.request("POST", "/api/kernels", body="{}", headers=headers)
    response = conn.getresponse()
    body = json.loads(response.read())
    assert response.status == 201, body
    return body["id"]


def wait_gone(pids: list[int], port: int, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while (listening(port) or any(map(alive, pids))) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert not listening(port), "something still listens on the port after stopping"
    assert not [p for p in pids if alive(p)], "a server or kernel process survived"


@pytest.fixture
def linux():
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc to see ports and processes")


@pytest.fixture
def server(tmp_path, linux):
    port = free_port()
    log = tmp_path / "server.log"
    process = start(tmp_path / "course", log, "--port", str(port), token=TOKEN)
    group = os.getpgid(process.pid)
    try:
        assert printed_url(process, log) == (port, TOKEN)
        yield port, process, group
    finally:
        stop(process, group)


def stop(process: subprocess.Popen, group: int) -> None:
    """SIGTERM to the server's process group, then SIGKILL if it lingers; wait for it."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(group, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
        break


def group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def test_server_needs_its_token_and_listens_on_loopback_only(server):
    port, process, group = server
    assert get(port, "/api/status", TOKEN).status == 200
    assert get(port, "/api/status").status == 403, "an API request without the token was served"
    assert get(port, "/api/status", "wrong-" + TOKEN).status == 403, "a wrong token was accepted"
    page = get(port, "/lab")
    assert page.status in (302, 403) and (
        page.status == 403 or "/login" in page.getheader("Location", "")
    ), (page.status, page.getheader("Location"))
    assert listening(port) == {"127.0.0.1"}, f"listening on {listening(port)}"
    for address in other_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=3).close()
    stop(process, group)
    deadline = time.monotonic() + 10
    while (listening(port) or group_alive(group)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not listening(port), "something still listens on the port after stopping the server"
    assert not group_alive(group), "a process of the server's group survived"


def test_the_token_is_on_no_command_line_and_in_no_file_left_behind(server, tmp_path):
    port, process, _group = server
    pids = tree(process.pid)
    assert len(pids) >= 2, "the server process was not found under the command"
    for pid in pids:
        assert TOKEN not in cmdline(pid), f"the token is on the command line of process {pid}"
    for path in Path(tempfile.gettempdir()).glob("hamfoot-*/jupyter_server_config.json"):
        assert TOKEN not in path.read_text(errors="ignore"), f"{path} still holds the token"


def test_sigterm_to_the_command_stops_the_server_and_its_kernels(server):
    port, process, _group = server
    start_kernel(port, TOKEN)
    deadline = time.monotonic() + 60
    while len(tree(process.pid)) < 3 and time.monotonic() < deadline:  # command, server, kernel
        time.sleep(0.3)
    pids = tree(process.pid)
    assert len(pids) >= 3, "no kernel process appeared under the server"
    process.send_signal(signal.SIGTERM)  # to the command only, as `kill PID` would
    assert process.wait(timeout=40) == 0
    wait_gone(pids, port)


def test_two_courses_at_once_each_get_their_own_port_and_url(tmp_path, linux):
    """Started together (no --port), so both try the same first free port; Ctrl-C stops one."""
    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    runs = [
        start(tmp_path / "one" / "course", logs[0]),
        start(tmp_path / "two" / "course", logs[1]),
    ]
    try:
        (p1, t1), (p2, t2) = (printed_url(r, log) for r, log in zip(runs, logs))
        assert p1 != p2 and t1 != t2
        assert get(p1, "/api/status", t1).status == 200
        assert get(p2, "/api/status", t2).status == 200
        assert get(p1, "/api/status", t2).status == 403, "a URL points at the other course"
        pids = tree(runs[0].pid)
        runs[0].send_signal(signal.SIGINT)  # Ctrl-C in the first terminal
        assert runs[0].wait(timeout=40) == 0
        wait_gone(pids, p1)
        assert get(p2, "/api/status", t2).status == 200, "stopping one course stopped the other"
    finally:
        for r in runs:
            stop(r, r.pid)  # its own session: process group id == pid


def one_line_error(*args: str, env: dict | None = None) -> str:
    done = subprocess.run(
        [*HAMFOOT, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def test_an_unwritable_home_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # nothing can be created below a file, not even by root
    env = {"HOME": str(blocker / "home")}
    env.update({k: "" for k in ("JUPYTER_RUNTIME_DIR", "JUPYTER_DATA_DIR", "XDG_DATA_HOME")})
    line = one_line_error("start", str(tmp_path / "course"), "--no-browser", env=env)
    assert "cannot write" in line and str(blocker) in line


def test_a_course_folder_that_cannot_be_written_is_one_clear_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    line = one_line_error("start", str(blocker / "course"), "--no-browser")
    assert "cannot write the lessons" in line and str(blocker) in line
    if os.geteuid() != 0:  # root writes through permission bits; a plain user does not
        folder = tmp_path / "read-only"
        folder.mkdir(mode=0o555)
        assert "cannot write" in one_line_error("lessons", str(folder))
