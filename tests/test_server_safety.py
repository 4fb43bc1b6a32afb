"""Server safety (issue 7, point 5): the server `make start` runs listens on 127.0.0.1 only and
refuses requests without its token.

Why: a course server reachable from the room's network, or usable without its token, hands anyone
nearby a Python shell on the learner's machine. The test starts tools/start.py exactly as
`make start` does (its own process group, a chosen port and token), checks it from outside, then
stops the whole group and checks that nothing is left listening.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
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


@pytest.fixture
def server(tmp_path):
    if not Path("/proc/net/tcp").exists():
        pytest.skip("needs Linux /proc/net/tcp to see which addresses are listening")
    port = free_port()
    env = {
        **os.environ,
        "HAMFOOT_PORT": str(port),
        "HAMFOOT_TOKEN": TOKEN,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
    }
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "start.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    group = os.getpgid(process.pid)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if get(port, "/api/status", TOKEN).status == 200:
                    break
            except OSError:
                pass
            assert process.poll() is None, (tmp_path / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the server did not answer within 120 s"
            time.sleep(0.5)
        yield port, process, group
    finally:
        stop(process, group)
        log.close()


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
