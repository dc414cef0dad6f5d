"""The local server the browser tests (and the PDF print) read the book from: its port cannot be taken.

A port picked free, closed and bound again by the server a moment later can be taken in between by any
other process (the server then fails, or another program answers). :func:`browser.serve` binds port 0
and listens before the server process starts, which inherits that very socket. No browser, no built
book: these run in ``make unit``.
"""

from __future__ import annotations

import errno
import http.client
import socket
import subprocess

import psutil
import pytest

from factcheck.publish import browser


def get(base: str, path: str = "") -> tuple[int, bytes]:
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", "/" + path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.fixture
def site(tmp_path):
    (tmp_path / "index.html").write_text("<p>书</p>", encoding="utf-8")
    return tmp_path


def listening_ports() -> set[int]:
    return {c.laddr.port for c in psutil.Process().net_connections("tcp") if c.status == psutil.CONN_LISTEN}


def test_the_port_is_held_before_the_server_starts(site, monkeypatch):
    """The race, injected: when the server process is started, another process tries to bind the port it
    will serve on. That port is already bound and listening, so the other process cannot have it."""
    held_at_start: list[set[int]] = []
    taken: list[int] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        held_at_start.append(listening_ports())
        for port in held_at_start[-1]:
            rival = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                rival.bind(("127.0.0.1", port))
                taken.append(port)
            except OSError as exc:
                assert exc.errno == errno.EADDRINUSE
            finally:
                rival.close()
        return real_popen(*args, **kwargs)

    monkeypatch.setattr(browser.subprocess, "Popen", popen)
    with browser.serve(site) as base:
        port = int(base.rstrip("/").rsplit(":", 1)[1])
        assert len(held_at_start) == 1 and port in held_at_start[0], "the port was free while the server started"
        assert taken == []
        assert get(base) == (200, "<p>书</p>".encode())
        assert get(base, "missing.html")[0] == 404
        assert port not in listening_ports(), "this process still holds the served socket"
    with pytest.raises(OSError):
        get(base)


def test_the_print_server_serves_from_its_own_socket(site):
    with browser.serve(site, in_process=True) as base:
        assert get(base) == (200, "<p>书</p>".encode())
    with pytest.raises(OSError):
        get(base)
