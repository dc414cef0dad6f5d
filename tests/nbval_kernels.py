"""pytest plugin for ``make nbval`` (``-p tests.nbval_kernels``): nbval's kernels talk over Unix sockets of
their own, as the build's do (:mod:`factcheck.publish.kernels`), so another process that takes a port
cannot make a kernel die before it starts ("Kernel died before replying to kernel_info")."""

from __future__ import annotations

import nbval.kernel
from jupyter_client.manager import KernelManager

from factcheck.publish import kernels


def pytest_configure(config) -> None:
    nbval.kernel.KernelManager = kernels.kernel_manager(base=KernelManager)
