#!/usr/bin/env python3
"""protoPython playground (web/): serves web/dist on 127.0.0.1 with the cross-origin isolation headers.

    python3 web/serve.py [--port 8000] [--dir web/dist] [--no-isolation]

Sends Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (which
make the page crossOriginIsolated, so SharedArrayBuffer and the threaded build are available) and
Cross-Origin-Resource-Policy: same-origin. --no-isolation leaves out the first two, to try the
single-threaded fallback. --port 0 picks a free port. The first line printed is always the URL.
"""

import argparse
import functools
import http.server
import sys
from pathlib import Path


class PlaygroundHandler(http.server.SimpleHTTPRequestHandler):
    isolation = True
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".map": "application/json",
        ".css": "text/css",
        ".html": "text/html",
        ".json": "application/json",
        ".ts": "text/plain",
    }

    def end_headers(self):
        if self.isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):
        if not self.server.quiet:
            super().log_message(format, *args)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--dir", default=str(Path(__file__).resolve().parent / "dist"), help="folder to serve")
    parser.add_argument("--no-isolation", action="store_true", help="leave out the COOP/COEP headers")
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = parser.parse_args()

    folder = Path(args.dir).resolve()
    if not (folder / "index.html").is_file():
        sys.exit(f"serve.py: {folder} has no index.html (build it first: node web/build.mjs --package DIR)")

    handler = functools.partial(PlaygroundHandler, directory=str(folder))
    PlaygroundHandler.isolation = not args.no_isolation
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    server.quiet = args.quiet
    server.daemon_threads = True
    print(f"http://127.0.0.1:{server.server_address[1]}/", flush=True)
    mode = "without isolation headers" if args.no_isolation else "cross-origin isolated"
    print(f"serving {folder} ({mode}); Ctrl+C stops", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
