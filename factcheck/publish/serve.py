"""``make serve``: the built book on http://127.0.0.1:PORT/ (this machine only), until Ctrl-C."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys

from ..errors import InputError
from ..params import check_port
from .layout import Layout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factcheck.publish.serve", description=__doc__)
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    try:
        port = check_port(args.port)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    html = Layout().html
    if not (html / "index.html").is_file():
        print(f"error: {html} holds no book; run make book first", file=sys.stderr)
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        print(f"error: parameter 'port': {port} cannot be used ({exc.strerror})", file=sys.stderr)
        return 2
    print(f"serving {html} on http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
