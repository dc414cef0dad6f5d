"""The build's kernels cannot lose their ports to another process: they use Unix sockets of their own.

Over TCP, jupyter_client chooses a free port, closes it, and the kernel binds it a moment later; a
process that binds that port in between makes the kernel die ("Address already in use", then "Kernel
died before replying to kernel_info"). These tests start real kernels (a tiny notebook, in this
process, through :func:`factcheck.publish.runner.execute`):

* the kernel's connection file says ``ipc`` and the kernel listens on its five abstract Unix sockets
  (``@factcheck-kernel-<random>-N``, in ``/proc/net/unix``);
* the race, injected: every port jupyter_client picks is one another socket already holds. A kernel
  started the usual way (TCP) dies as in the flaky builds, which shows the injection bites; the build's
  pages are executed all the same, two at a time.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import nbformat
import pytest

from factcheck.publish import kernels, runner

pytestmark = pytest.mark.slow

REPORT = """import json
from ipykernel.connect import get_connection_file
_info = json.load(open(get_connection_file()))
_names = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
_unix = open("/proc/net/unix").read().split()
print("KERNEL " + json.dumps({
    "transport": _info["transport"], "ip": _info["ip"],
    "listening": {n: f"{_info['ip']}-{_info[n]}" in _unix for n in _names},
}))"""


def page(tmp_path: Path, name: str, source: str = REPORT) -> runner.Job:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("year = 0\njudged_dir = ''", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(source)]
    template = tmp_path / f"{name}.template.ipynb"
    nbformat.write(nb, template)
    out = tmp_path / "out" / f"{name}.ipynb"
    return runner.Job(template, out, out, {"year": 2022, "judged_dir": "."})  # as every page gets


def reported(job: runner.Job) -> dict:
    nb = nbformat.read(job.staging, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            for line in out.get("text", "").splitlines():
                if line.startswith("KERNEL "):
                    return json.loads(line[len("KERNEL "):])
    raise AssertionError(f"{job.staging.name} did not report")


def test_kernel_talks_over_unix_sockets_of_its_own(tmp_path):
    seen = reported(runner.execute(page(tmp_path, "report")))
    assert seen["transport"] == "ipc"
    assert seen["ip"].startswith(kernels.PREFIX) and len(seen["ip"]) == len(kernels.PREFIX) + 32
    assert seen["listening"] == dict.fromkeys(seen["listening"], True) and len(seen["listening"]) == 5


@pytest.fixture
def ports_taken(monkeypatch):
    """The race, every time: each port jupyter_client picks for a TCP kernel is already held by a socket."""
    from jupyter_client.provisioning.local_provisioner import LocalPortCache

    held = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    held.bind(("127.0.0.1", 0))
    held.listen()
    port = held.getsockname()[1]
    monkeypatch.setattr(LocalPortCache, "find_available_port", lambda self, ip: port)
    yield port
    held.close()


def test_a_port_taken_by_another_process_cannot_break_a_start(tmp_path, ports_taken):
    import papermill

    # The injection bites: a kernel on TCP dies as in the flaky builds.
    control = page(tmp_path, "control", "print('ran')")
    with pytest.raises(RuntimeError, match="Kernel died before replying to kernel_info"):
        papermill.execute_notebook(str(control.source), str(tmp_path / "control-out.ipynb"), progress_bar=False,
                                   kernel_name="python3", start_timeout=30)
    # The build's kernels do not care: four pages, two at a time.
    jobs = [page(tmp_path, f"page{n}") for n in range(4)]
    assert runner.run_jobs(jobs, workers=2) >= 1
    addresses = {reported(job)["ip"] for job in jobs}
    assert len(addresses) == 4 and all(a.startswith(kernels.PREFIX) for a in addresses)
