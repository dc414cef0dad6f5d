"""Kernels that talk over Unix sockets of their own, so no other process can take their port.

Over TCP, jupyter_client picks five free ports, closes them, writes them into the connection file and
starts the kernel, which binds them a moment later; any process on the machine that binds one of those
ports in between (another build, a test's server, a browser) makes the kernel die with "Address already
in use" ("Kernel died before replying to kernel_info"), about once in a hundred starts on a busy machine.

With :func:`kernel_manager`'s class the kernel uses ZeroMQ's IPC transport on Linux's abstract socket
namespace instead: ``@factcheck-kernel-<random>-1`` … ``-5``, names no other process chooses, which
exist only while the sockets are open (nothing on disk to clean up, even after a SIGKILL). Elsewhere
(no abstract namespace) the kernel keeps TCP.
"""

from __future__ import annotations

import functools
import sys
import uuid

PREFIX = "@factcheck-kernel-"


def private_address() -> str:
    """A fresh abstract socket name for one kernel (its channels are this name plus ``-1`` … ``-5``)."""
    return f"{PREFIX}{uuid.uuid4().hex}"


@functools.cache
def kernel_manager(base: type | None = None) -> type:
    """A kernel manager class (``base``, by default ``AsyncKernelManager``) whose kernels listen on
    abstract Unix sockets of their own (Linux), not on TCP ports."""
    if base is None:
        from jupyter_client import AsyncKernelManager as base

    class PrivateSocketsKernelManager(base):
        def __init__(self, **kwargs: object) -> None:
            if sys.platform == "linux":
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("ip", private_address())
            super().__init__(**kwargs)

    return PrivateSocketsKernelManager
