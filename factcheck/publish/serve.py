"""``make serve``: the built book on http://127.0.0.1:PORT/ (this machine only), until Ctrl-C."""

from __future__ import annotations

import argparse
import functools
import http.server
import sys

from .layout import Layout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factcheck.publish.serve", description=__doc__)
    parser.add_argument("--port", default="8000")
    args = parser.parse_args(argv)
    if not args.port.isdigit() or not 0 < int(args.port) < 65536:
        print(f"error: parameter 'port': {args.port[:20]!r} is not a port number (1-65535)", file=sys.stderr)
        return 2
    html = Layout().html
    if not (html / "index.html").is_file():
        print(f"error: {html} holds no book; run make book first", file=sys.stderr)
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(html))
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", int(args.port)), handler)
    except OSError as exc:
        print(f"error: parameter 'port': {args.port} cannot be used ({exc.strerror})", file=sys.stderr)
        return 2
    print(f"serving {html} on http://127.0.0.1:{args.port}/ (Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
