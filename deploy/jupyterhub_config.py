"""JupyterHub configuration of a local class hub: what the tests and `make bench-class` start.

Why local and real: the same JupyterHub, proxy, idle culler and nbgitpuller a university runs, on
127.0.0.1, so a test can log students in, spawn their servers and pull the course. The class
settings (course link, what each student's server loads, limits, culling) come from
deploy/class.yaml, which deploy/config.yaml (Zero to JupyterHub) and deploy/tljh.sh must match
(tests/hub/test_deploy_config.py).

NOT for a real class: the authenticator accepts any name with one shared password, and every
student runs as the same system user. Run it with `jupyterhub -f deploy/jupyterhub_config.py` in
an empty state folder, with these environment variables:

    HAMFOOT_HUB_DIR       state folder (database, cookie secret, homes/, class/)  [required]
    HAMFOOT_HUB_PORT      port of the public proxy on 127.0.0.1                  [8000]
    HAMFOOT_HUB_PASSWORD  the shared test password                               [required]
    HAMFOOT_HUB_TOKEN     API token of the "hamfoot-driver" service (tests)     [optional]
    HAMFOOT_COURSE_REPO   git URL or path replacing class.yaml's course repo     [optional]
    HAMFOOT_HUB_LAB_SETTINGS  JupyterLab settings folder for test pages (exposes the app) [optional]
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from classconf import load_class, pull_path, server_args, size_bytes  # noqa: E402

CLASS = load_class(HERE / "class.yaml")
STATE = Path(os.environ["HAMFOOT_HUB_DIR"]).resolve()
PORT = int(os.environ.get("HAMFOOT_HUB_PORT", "8000"))
VENV_BIN = Path(sys.executable).parent  # the course is installed in the hub's own venv
REPO = os.environ.get("HAMFOOT_COURSE_REPO") or CLASS["course"]["repo"]

# ---------------------------------------------------------------- hub and proxy: 127.0.0.1 only
c.JupyterHub.bind_url = f"http://127.0.0.1:{PORT}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("HAMFOOT_HUB_API_PORT", PORT + 1))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.concurrent_spawn_limit = 100
c.JupyterHub.check_running_servers = False
c.JupyterHub.last_activity_interval = 60

# ---------------------------------------------------------------- login (TESTS ONLY)
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ["HAMFOOT_HUB_PASSWORD"]
c.Authenticator.allow_all = True

# ---------------------------------------------------------------- one server per student
c.JupyterHub.spawner_class = "simple"  # local processes, homes in the state folder
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.args = server_args(CLASS)  # the extensions a student needs, and no more
if os.geteuid() == 0:  # test machines run as root; a real hub never runs students as root
    c.Spawner.args.append("--allow-root")
c.Spawner.default_url = "/" + pull_path(CLASS, repo=REPO)
r = CLASS["resources"]
# The local spawner only passes these on (as MEM_LIMIT, CPU_LIMIT … in the server's environment);
# systemd (The Littlest JupyterHub) and Kubernetes (Zero to JupyterHub) enforce them.
c.Spawner.mem_guarantee = size_bytes(r["memory_guarantee"])
c.Spawner.mem_limit = size_bytes(r["memory_limit"])
c.Spawner.cpu_guarantee = float(r["cpu_guarantee"])
c.Spawner.cpu_limit = float(r["cpu_limit"])
c.Spawner.start_timeout = int(r["start_timeout"])
c.Spawner.http_timeout = int(r["start_timeout"])
CLASS_DIR = STATE / "class"
CLASS_DIR.mkdir(parents=True, exist_ok=True)
c.Spawner.environment = {
    "HAMFOOT_CLASS_DIR": str(CLASS_DIR),
    "MPLBACKEND": "agg",
    "JUPYTER_PREFER_ENV_PATH": "1",
}
if os.environ.get("HAMFOOT_HUB_LAB_SETTINGS"):  # tests drive pages through window.jupyterapp
    c.Spawner.args.append("--LabApp.expose_app_in_browser=True")
    c.Spawner.environment["JUPYTERLAB_SETTINGS_DIR"] = os.environ["HAMFOOT_HUB_LAB_SETTINGS"]

# ---------------------------------------------------------------- services
cull = CLASS["culling"]
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(cull['timeout'])}",
            f"--cull-every={int(cull['every'])}",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if os.environ.get("HAMFOOT_HUB_TOKEN"):  # the test driver: create users, spawn, reach servers
    c.JupyterHub.services.append(
        {"name": "hamfoot-driver", "api_token": os.environ["HAMFOOT_HUB_TOKEN"]}
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "hamfoot-driver",
            "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"],
            "services": ["hamfoot-driver"],
        }
    )
