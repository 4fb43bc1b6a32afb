"""The real deployments (Zero to JupyterHub's config.yaml, The Littlest JupyterHub's script) must
say what the tested local hub says: same image recipe, limits, culling and pull link. All three
read or copy deploy/class.yaml; these tests name any value that drifted."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
sys.path.insert(0, str(DEPLOY))
import classconf  # noqa: E402


def z2jh_problems(config: Path, class_file: Path = classconf.CLASS_FILE) -> list[str]:
    """Every way config.yaml disagrees with class.yaml, in words (empty when in step)."""
    cls = classconf.load_class(class_file)
    cfg = yaml.safe_load(config.read_text(encoding="utf-8"))
    su, r, cull = cfg.get("singleuser", {}), cls["resources"], cls["culling"]
    want = {
        "singleuser.memory.guarantee": (
            su.get("memory", {}).get("guarantee"),
            r["memory_guarantee"],
        ),
        "singleuser.memory.limit": (su.get("memory", {}).get("limit"), r["memory_limit"]),
        "singleuser.cpu.guarantee": (su.get("cpu", {}).get("guarantee"), r["cpu_guarantee"]),
        "singleuser.cpu.limit": (su.get("cpu", {}).get("limit"), r["cpu_limit"]),
        "singleuser.startTimeout": (su.get("startTimeout"), r["start_timeout"]),
        "singleuser.defaultUrl": (su.get("defaultUrl"), "/" + classconf.pull_path(cls)),
        "singleuser.extraEnv.HAMFOOT_CLASS_DIR": (
            su.get("extraEnv", {}).get("HAMFOOT_CLASS_DIR"),
            cls["class_dir"],
        ),
        "cull.enabled": (cfg.get("cull", {}).get("enabled"), True),
        "cull.timeout": (cfg.get("cull", {}).get("timeout"), cull["timeout"]),
        "cull.every": (cfg.get("cull", {}).get("every"), cull["every"]),
        "hub.config.KubeSpawner.args": (
            cfg.get("hub", {}).get("config", {}).get("KubeSpawner", {}).get("args"),
            classconf.server_args(cls),
        ),
        "custom.hamfoot.image_files": (
            cfg.get("custom", {}).get("hamfoot", {}).get("image_files"),
            cls["image"]["files"],
        ),
    }
    problems = [
        f"{config.name}: {key} is {got!r}, class.yaml says {expected!r}"
        for key, (got, expected) in want.items()
        if str(got) != str(expected)
    ]
    mounts = [m.get("mountPath") for m in su.get("storage", {}).get("extraVolumeMounts") or []]
    if cls["class_dir"] not in mounts:
        problems.append(
            f"{config.name}: no volume is mounted at the class folder {cls['class_dir']}"
        )
    if not cfg.get("hub", {}).get("config", {}).get("JupyterHub", {}).get("authenticator_class"):
        problems.append(f"{config.name}: hub.config.JupyterHub.authenticator_class is not set")
    return problems


def tljh_hub_config(text: str):
    """The JupyterHub settings tljh.sh writes (its <<'PY' block), loaded as JupyterHub would."""
    from traitlets.config import Config

    m = re.search(r"<<'PY'\n(.*?)\nPY\n", text, re.DOTALL)
    c = Config()
    if m:
        exec(compile(m.group(1), "tljh.sh hamfoot.py", "exec"), {"c": c})
    return c


def tljh_problems(script: Path, class_file: Path = classconf.CLASS_FILE) -> list[str]:
    cls = classconf.load_class(class_file)
    text = script.read_text(encoding="utf-8")
    r, cull = cls["resources"], cls["culling"]
    lines = {
        f"tljh-config set limits.memory {r['memory_limit']}",
        f"tljh-config set limits.cpu {r['cpu_limit']}",
        "tljh-config set services.cull.enabled true",
        f"tljh-config set services.cull.timeout {cull['timeout']}",
        f"tljh-config set services.cull.every {cull['every']}",
    }
    have = {ln.strip() for ln in text.splitlines()}
    problems = [f"{script.name}: missing the line {ln!r}" for ln in sorted(lines - have)]
    spawner = tljh_hub_config(text).Spawner
    want = {
        "default_url": "/" + classconf.pull_path(cls),
        "environment": {"HAMFOOT_CLASS_DIR": cls["class_dir"]},
        "start_timeout": r["start_timeout"],
        "args": classconf.server_args(cls),
    }
    problems += [
        f"{script.name}: c.Spawner.{key} is {spawner.get(key)!r}, class.yaml says {value!r}"
        for key, value in want.items()
        if spawner.get(key) != value
    ]
    for pkg in cls["image"]["extra_packages"]:
        if pkg == "jupyterhub":  # TLJH's user environment has it already, matching its hub
            continue
        if not re.search(rf"pip install .*\b{re.escape(pkg)}\b", text):
            problems.append(f"{script.name}: does not install {pkg}")
    return problems


def test_zero_to_jupyterhub_config_matches_the_tested_class():
    assert z2jh_problems(DEPLOY / "config.yaml") == []


def test_tljh_script_matches_the_tested_class():
    assert tljh_problems(DEPLOY / "tljh.sh") == []


def test_image_recipe_exists_and_holds_what_the_hub_needs():
    cls = classconf.load_class()
    for name in cls["image"]["files"]:
        assert (ROOT / name).is_file(), f"class.yaml image file {name} is not in the repository"
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    names = {re.split(r"[<>=\s]", d)[0] for d in env["dependencies"] if isinstance(d, str)}
    missing = [p for p in cls["image"]["extra_packages"] if p not in names]
    assert not missing, f"environment.yml (the image recipe) lacks {missing}"
    assert (
        "-e ." in (ROOT / "postBuild").read_text() or "install" in (ROOT / "postBuild").read_text()
    )


def test_local_hub_config_reads_the_same_class(tmp_path, monkeypatch):
    """Load deploy/jupyterhub_config.py as JupyterHub would and compare its values."""
    from traitlets.config import Config

    monkeypatch.setenv("HAMFOOT_HUB_DIR", str(tmp_path))
    monkeypatch.setenv("HAMFOOT_HUB_PASSWORD", "x")
    monkeypatch.delenv("HAMFOOT_COURSE_REPO", raising=False)
    c = Config()
    code = (DEPLOY / "jupyterhub_config.py").read_text(encoding="utf-8")
    exec(
        compile(code, str(DEPLOY / "jupyterhub_config.py"), "exec"),
        {"get_config": lambda: c, "__file__": str(DEPLOY / "jupyterhub_config.py")},
    )
    cls = classconf.load_class()
    r = cls["resources"]
    assert c.Spawner.mem_limit == classconf.size_bytes(r["memory_limit"])
    assert c.Spawner.mem_guarantee == classconf.size_bytes(r["memory_guarantee"])
    assert c.Spawner.cpu_limit == float(r["cpu_limit"])
    assert c.Spawner.default_url == "/" + classconf.pull_path(cls)
    assert c.JupyterHub.bind_url.startswith("http://127.0.0.1:")
    assert c.JupyterHub.hub_ip == "127.0.0.1"
    culler = next(s for s in c.JupyterHub.services if s["name"] == "idle-culler")
    assert f"--timeout={cls['culling']['timeout']}" in culler["command"]
    assert f"--cull-every={cls['culling']['every']}" in culler["command"]
    assert c.Spawner.environment["HAMFOOT_CLASS_DIR"] == str(tmp_path / "class")
    args = c.Spawner.args
    assert args[: len(classconf.server_args(cls))] == classconf.server_args(cls)


def test_every_server_extension_of_the_image_is_decided_on_or_off():
    """A package that brings a server extension (as voila did) must not load in every student's
    server unnoticed: class.yaml names each one the environment enables, true or false."""
    import json

    from jupyter_core.paths import jupyter_config_path

    enabled: dict[str, bool] = {}
    for folder in reversed(jupyter_config_path()):  # as jupyter_server reads them: user's last
        for f in sorted(Path(folder).glob("jupyter_server_config.d/*.json")):
            conf = json.loads(f.read_text(encoding="utf-8")).get("ServerApp", {})
            enabled.update(conf.get("jpserver_extensions", {}))
    installed = {name for name, on in enabled.items() if on}
    assert "jupyterlab" in installed, f"no server extension found in {jupyter_config_path()}"
    decided = classconf.load_class()["server"]["extensions"]
    assert installed - set(decided) == set(), "add these to server.extensions in class.yaml"
    assert decided["jupyterlab"] and decided["nbgitpuller"], "students need both"


def test_server_args_switch_each_extension_on_or_off():
    cls = classconf.load_class()
    cls["server"]["extensions"] = {"jupyterlab": True, "voila.server_extension": False}
    cls["server"]["args"] = ["--LabApp.news_url=None"]
    assert classconf.server_args(cls) == [
        "--ServerApp.jpserver_extensions=jupyterlab=True",
        "--ServerApp.jpserver_extensions=voila.server_extension=False",
        "--LabApp.news_url=None",
    ]


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("limit: 1G", "limit: 2G"), "singleuser.memory.limit is '2G'"),
        (("timeout: 3600", "timeout: 60"), "cull.timeout is 60"),
        (("00-start-here", "02-chain-model"), "singleuser.defaultUrl"),
        (("[environment.yml, postBuild]", "[environment.yml]"), "custom.hamfoot.image_files"),
        (("voila.server_extension=False", "voila.server_extension=True"), "KubeSpawner.args"),
    ],
)
def test_a_drifted_config_is_caught(tmp_path, edit, expected):
    broken = tmp_path / "config.yaml"
    text = (DEPLOY / "config.yaml").read_text(encoding="utf-8")
    assert edit[0] in text
    broken.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    problems = z2jh_problems(broken)
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize(
    "edit, expected",
    [
        (("limits.memory 1G", "limits.memory 4G"), "limits.memory 1G"),
        (('    "--LabApp.extension_manager=readonly",\n', ""), "c.Spawner.args"),
        (("start_timeout = 300", "start_timeout = 30"), "c.Spawner.start_timeout"),
        (("00-start-here", "02-chain-model"), "c.Spawner.default_url"),
    ],
)
def test_a_drifted_tljh_script_is_caught(tmp_path, edit, expected):
    broken = tmp_path / "tljh.sh"
    shutil.copy(DEPLOY / "tljh.sh", broken)
    text = broken.read_text()
    assert edit[0] in text
    broken.write_text(text.replace(edit[0], edit[1], 1))
    problems = tljh_problems(broken)
    assert any(expected in p for p in problems), problems


def test_class_file_errors_name_the_field(tmp_path):
    bad = tmp_path / "class.yaml"
    bad.write_text(
        classconf.CLASS_FILE.read_text().replace("memory_limit: 1G", "memory_limit: 100M")
    )
    with pytest.raises(ValueError, match="memory_guarantee' is above memory_limit"):
        classconf.load_class(bad)
    bad.write_text(classconf.CLASS_FILE.read_text().replace("  every: 300", ""))
    with pytest.raises(ValueError, match="'culling.every' is missing"):
        classconf.load_class(bad)
    bad.write_text(
        classconf.CLASS_FILE.read_text().replace("nbgitpuller: true", "nbgitpuller: yes please")
    )
    with pytest.raises(ValueError, match="'server.extensions' must map"):
        classconf.load_class(bad)
