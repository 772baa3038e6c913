"""JupyterLab for real: `jupyter lab` from the project environment on a free localhost port with
a random token, over a copy of the project holding the built tables; Debian's chromium (driven
by Playwright, no browser download) opens the explore notebook and a stage notebook (the
jupytext .py opened as a notebook), runs every cell through the Run menu, waits for the kernel
to go idle, and checks that no cell shows an error and that the tables and the chart appear.
A notebook with a deliberate error shows that the check sees errors. Every request to a host
other than the server fails the test. The server is shut down through its API (which stops its
kernels) and no process it started is left. A screenshot goes to test-artifacts/jupyterlab.png.
"""
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BROWSER_MARKS, ROOT

pytestmark = BROWSER_MARKS
ARTIFACTS = ROOT / "test-artifacts"
JUPYTER = Path(sys.executable).parent / "jupyter"
BROKEN = """# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %%
import sys
print("a progress line on stderr is not an error", file=sys.stderr)

# %%
raise ValueError("deliberate error for the test")
"""
# JupyterLab's own notices that would fetch from the internet are off (and would be blocked anyway)
# JupyterLab shows an SVG output as an <img> (or inline <svg> when trusted)
SVG_OUTPUT = ('.jp-OutputArea-output[data-mime-type="image/svg+xml"] img, '
              '.jp-OutputArea-output[data-mime-type="image/svg+xml"] svg')
QUIET = {"fetchNews": "false", "checkForUpdates": False}


@pytest.fixture(scope="module")
def project(site, tmp_path_factory) -> Path:
    """A copy of the project's notebooks and configuration with the session's built tables in data/."""
    dest = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", dest / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(ROOT / "data" / "reference", dest / "data" / "reference")
    for f in ("dvc.yaml", "params.yaml"):
        shutil.copy2(ROOT / f, dest / f)
    built = site.parent                      # build_site's out/: interim, processed, reports
    shutil.copytree(built / "interim", dest / "data" / "interim")
    shutil.copytree(built / "processed", dest / "data" / "processed")
    shutil.copytree(built / "reports", dest / "reports")
    (dest / "notebooks" / "broken.py").write_text(BROKEN, encoding="utf-8")
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _descendants(pid: int) -> set[int]:
    """Every live process started (directly or not) by pid, and every process in its session."""
    found, stack = set(), [pid]
    procs = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            procs[int(entry)] = (int(stat[1]), int(stat[4]), stat[0])   # ppid, session, state
    while stack:
        p = stack.pop()
        for child, (ppid, _sid, state) in procs.items():
            if ppid == p and child not in found and state != "Z":
                found.add(child)
                stack.append(child)
    return found | {p for p, (_pp, sid, state) in procs.items() if sid == pid and p != pid and state != "Z"}


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def lab(project, tmp_path_factory):
    state = tmp_path_factory.mktemp("jupyter-state")
    settings = state / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(QUIET), encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(state / "config"), "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(state / "settings"), "JUPYTERLAB_WORKSPACES_DIR": str(state / "workspaces"),
           "PATH": f"{JUPYTER.parent}:{os.environ['PATH']}"}
    port, token = _free_port(), secrets.token_hex(24)
    cmd = [str(JUPYTER), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={project}",
           "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly"]
    if os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    log = open(state / "server.log", "w", encoding="utf-8")
    server = subprocess.Popen(cmd, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    started = []
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("jupyter lab did not start:\n" + (state / "server.log").read_text()[-2000:])
                time.sleep(0.2)
        yield {"base": base, "token": token, "started": started, "server": server}
    finally:
        started.extend(_descendants(server.pid))     # the kernels it started, before they are stopped
        req = urllib.request.Request(f"{base}/api/shutdown", method="POST", headers={"Authorization": f"token {token}"})
        try:
            urllib.request.urlopen(req, timeout=10).read()
            server.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
        log.close()
        time.sleep(0.5)
        left = [p for p in started if _alive(p)]
        for p in left:
            os.kill(p, signal.SIGKILL)
        assert not left, f"processes left running after the server stopped: {left}"


def open_notebook(browser, lab, path: str, jupytext: bool = False):
    """A fresh page (workspace reset) with the notebook open and its kernel idle; outside requests recorded."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    outside = []

    def route(r):
        if r.request.url.startswith(lab["base"] + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    folder, _, name = path.rpartition("/")
    if jupytext:   # a text notebook opens as a notebook through Open With → Jupytext Notebook
        page.goto(f"{lab['base']}/lab/tree/{folder}?reset&token={lab['token']}")
        item = page.locator(".jp-DirListing-item", has_text=name)
        item.wait_for(timeout=30000)
        item.click(button="right")
        page.locator(".lm-Menu-itemLabel", has_text="Open With").hover()
        page.get_by_text("Jupytext Notebook", exact=True).click()
    else:
        page.goto(f"{lab['base']}/lab/tree/{path}?reset&token={lab['token']}")
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=30000)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=30000)
    return page, outside


def run_all(page) -> None:
    """Run → Run All Cells, then wait until the kernel is idle and no cell is queued or running."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.get_by_text("Run All Cells", exact=True).click()
    page.wait_for_function("""() => {
        const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')];
        return prompts.length > 0 && prompts.some(p => /\\[\\d+\\]/.test(p.textContent))
            && prompts.every(p => !p.textContent.includes('*'));
    }""", timeout=40000)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=20000)


def error_outputs(page) -> list[str]:
    """Text of the error outputs (a traceback), not of ordinary stderr streams (progress lines, warnings)."""
    return [t for t in page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').all_inner_texts()
            if re.search(r"Traceback \(most recent call last\)|^\w+(Error|Exception)\b", t, re.M)]


def test_explore_and_a_stage_notebook_run_in_jupyterlab(browser, lab, project):
    page, outside = open_notebook(browser, lab, "notebooks/explore.ipynb")
    run_all(page)
    assert error_outputs(page) == []
    assert page.locator(".jp-OutputArea-output table").count() >= 3            # documents, series, missed targets
    assert page.locator(".jp-OutputArea-output").filter(has_text="地区生产总值").count() >= 1
    assert page.locator(SVG_OUTPUT).count() == 1                               # the altair chart, as SVG
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "jupyterlab-explore.png"))
    page.close()

    page, outside2 = open_notebook(browser, lab, "notebooks/03_analyse.py", jupytext=True)
    run_all(page)
    assert error_outputs(page) == []
    out = page.locator(".jp-OutputArea-output")
    assert out.filter(has_text="met_rate_pct").count() == 1                   # targets by status
    assert out.filter(has_text="target_sentence").count() == 1                # the headline scorecard
    assert page.locator(SVG_OUTPUT).count() == 1                               # the GDP growth chart
    page.locator(SVG_OUTPUT).scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "jupyterlab.png"))
    page.close()
    assert outside == [] and outside2 == []


def test_an_error_in_a_cell_is_seen(browser, lab):
    """The check above can fail: a notebook that raises shows its error output."""
    page, outside = open_notebook(browser, lab, "notebooks/broken.py", jupytext=True)
    run_all(page)
    errors = error_outputs(page)
    page.close()
    assert len(errors) == 1 and "deliberate error for the test" in errors[0]
    assert outside == []

