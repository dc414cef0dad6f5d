"""Stress the kernel start against a rival that takes ports: TCP kernels lose the race, the build's do not.

    .venv/bin/python tools/kernel_race.py --starts 100 --parallel 4            # both transports
    .venv/bin/python tools/kernel_race.py --transport ipc --starts 300

Starts ``--starts`` kernels, ``--parallel`` at a time (as the build and nbval do), each until it answers
``kernel_info``, then shuts it down, while a rival process keeps binding ports the system hands out and
holding them a moment (as another process starting kernels or servers does). ``tcp`` is jupyter_client's
default (ports picked free, closed, bound again by the kernel: the race); ``ipc`` is the build's
(:mod:`factcheck.publish.kernels`). Prints the starts that failed, and why.

To make the race frequent enough to count, where the machine allows (root, or unprivileged user
namespaces), it runs in a network namespace of its own whose ephemeral port range is narrowed to
``--ports`` ports (``net.ipv4.ip_local_port_range`` belongs to the namespace: nothing outside changes);
elsewhere it runs as it is, on the machine's full range, where the race is rare.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

RIVAL = """
import random, socket, time
held = []
while True:
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", 0))
        s.listen()
        held.append(s)
    except OSError:
        s.close()
    while len(held) > 8 or (held and random.random() < 0.3):
        held.pop(random.randrange(len(held))).close()
    time.sleep(0.001)
"""

LOOPBACK_UP = """
import fcntl, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sH", fcntl.ioctl(s, 0x8913, struct.pack("16sH", b"lo", 0))[:18])[1]
fcntl.ioctl(s, 0x8914, struct.pack("16sH", b"lo", flags | 1))
"""


def start_one(manager_class: type) -> str | None:
    """Start a kernel, wait for kernel_info, shut it down; None, or why it failed."""
    km = manager_class(kernel_name="python3")
    try:
        km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"], stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
        finally:
            kc.stop_channels()
        return None
    except Exception as exc:  # noqa: BLE001 - counted, not raised
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:100]
    finally:
        try:
            km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001
            pass


def run(transport: str, starts: int, parallel: int) -> dict:
    from jupyter_client.manager import KernelManager

    from factcheck.publish.kernels import kernel_manager

    manager_class = kernel_manager(base=KernelManager) if transport == "ipc" else KernelManager
    rival = subprocess.Popen([sys.executable, "-c", RIVAL])
    t = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            outcomes = list(pool.map(lambda _: start_one(manager_class), range(starts)))
    finally:
        rival.kill()
        rival.wait()
    failures = collections.Counter(o for o in outcomes if o)
    return {"transport": transport, "starts": starts, "failed": sum(failures.values()),
            "why": dict(failures), "seconds": round(time.perf_counter() - t, 1)}


def inner(args: argparse.Namespace) -> None:
    if args.ports:
        exec(LOOPBACK_UP)  # noqa: S102 - a new network namespace starts with lo down
        Path("/proc/sys/net/ipv4/ip_local_port_range").write_text(f"40000 {40000 + args.ports - 1}")
    for transport in args.transport:
        print("RESULT " + json.dumps(run(transport, args.starts, args.parallel)), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transport", choices=["tcp", "ipc"], action="append")
    parser.add_argument("--starts", type=int, default=100)
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--ports", type=int, default=200, help="the namespace's ephemeral ports (0: no namespace)")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.transport = args.transport or ["tcp", "ipc"]
    if args.inner:
        inner(args)
        return
    unshare = shutil.which("unshare")
    own = [sys.executable, __file__, "--inner", "--starts", str(args.starts), "--parallel", str(args.parallel),
           *[a for t in args.transport for a in ("--transport", t)]]
    for prefix in ([unshare, "-n"], [unshare, "-r", "-n"]) if unshare and args.ports else []:
        probe = subprocess.run([*prefix, "true"], capture_output=True)
        if probe.returncode == 0:
            print(f"in a network namespace with {args.ports} ephemeral ports ({' '.join(prefix)})", flush=True)
            os.execv(prefix[0], [*prefix, *own, "--ports", str(args.ports)])
    print("on this machine's own network and port range", flush=True)
    os.execv(sys.executable, [*own, "--ports", "0"])


if __name__ == "__main__":
    main()
