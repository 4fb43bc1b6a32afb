#!/usr/bin/env bash
# The Littlest JupyterHub (https://tljh.jupyter.org): one VM, up to about 100 students.
# Run as root on the VM after installing TLJH. Kept in step with deploy/class.yaml by
# tests/hub/test_deploy_config.py: the limits, culling, pull link and server options below must
# equal that file's.
# TLJH runs each student's server as its own system user under systemd, which ENFORCES the memory
# and CPU limits (cgroups); it has no guarantees, so size the VM from bench/RESULTS-class.md.
set -euo pipefail

# Replace your-institution/hamfoot with your fork of the course, here and in the link below.
# The course and nbgitpuller in the students' shared environment (conda env in /opt/tljh/user).
/opt/tljh/user/bin/python -m pip install "hamfoot @ git+https://github.com/your-institution/hamfoot@main" nbgitpuller

# Per-student limits and idle culling.
tljh-config set user_environment.default_app jupyterlab
tljh-config set limits.memory 1G
tljh-config set limits.cpu 1.0
tljh-config set services.cull.enabled true
tljh-config set services.cull.timeout 3600
tljh-config set services.cull.every 300

# The class folder: every student may add their own answers file; the educator reads them all.
install -d -m 1773 -g jupyterhub-users /srv/hamfoot-class

# Logging in pulls the course and opens the start lesson; answers go to the class folder.
cat > /opt/tljh/config/jupyterhub_config.d/hamfoot.py <<'PY'
c.Spawner.default_url = "/git-pull?repo=https%3A%2F%2Fgithub.com%2Fyour-institution%2Fhamfoot&branch=main&targetpath=hamfoot&urlpath=lab%2Ftree%2Fhamfoot%2Fnotebooks%2F00-start-here.ipynb"
c.Spawner.environment = {"HAMFOOT_CLASS_DIR": "/srv/hamfoot-class"}
c.Spawner.start_timeout = 300
# What each student's server loads (deploy/class.yaml's server section): JupyterLab and
# nbgitpuller; the environment's other server extensions off, which saves every student memory.
c.Spawner.args = [
    "--ServerApp.jpserver_extensions=jupyterlab=True",
    "--ServerApp.jpserver_extensions=nbgitpuller=True",
    "--ServerApp.jpserver_extensions=voila.server_extension=False",
    "--ServerApp.jpserver_extensions=jupyterlab_rise=False",
    "--ServerApp.jpserver_extensions=jupyter_lsp=False",
    "--ServerApp.jpserver_extensions=jupyter_server_terminals=False",
    "--ServerApp.jpserver_extensions=notebook_shim=False",
    "--LabApp.extension_manager=readonly",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
]
PY

tljh-config reload
