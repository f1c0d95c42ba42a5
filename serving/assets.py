"""Streamlit's own front-end bundle, gzipped once at the best level and served beside the replicas.

    python -m serving.assets [--port 8502] [--address 127.0.0.1]     (scripts/run-cluster and Compose start it)

Why: Streamlit sends its JavaScript uncompressed and leaves compression to the proxy. HAProxy compresses on
the fly with libslz, which is fast but weaker than gzip -9 (a first visit: 10.9 MB raw, 5.1 MB through HAProxy's
compression, 3.55 MB with these files; docs/LOAD.md). The bundle is the same for every visitor and never changes
under a name (hashed file names, served "immutable"), so it is compressed once, when this server starts
(~1 s of CPU, ~7 MB of memory), and every later visit gets the best bytes for free.

HAProxy sends `/static/…` (also under a base path, `/shellcount/static/…`) here while this server is up, and
to the replicas otherwise, so it can be stopped or missing without breaking anything. It serves exactly the
files of the Streamlit package installed beside it, the same package the replicas run, so the hashed names
always match. Standard library only; no Streamlit import (the package is found, not imported).
"""

from __future__ import annotations

import gzip
import importlib.util
import mimetypes
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from dashboard import cli
from serving.process import free_port

# Compressed when their text is worth it (fonts and images are compressed formats already).
TEXT_SUFFIXES = {".js", ".css", ".html", ".json", ".svg", ".txt", ".map"}
TYPES = {".js": "application/javascript", ".json": "application/json", ".css": "text/css", ".svg": "image/svg+xml"}
IMMUTABLE = "public, immutable, max-age=31536000"  # what Streamlit itself sends for its hashed bundle files


def streamlit_static_dir() -> Path:
    """The `static/static` folder of the installed Streamlit package (its hashed JS, CSS, fonts and images)."""
    spec = importlib.util.find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("streamlit is not installed here")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "static"


@dataclass(frozen=True)
class Asset:
    content_type: str
    raw: bytes
    gzipped: bytes | None  # None: not worth compressing (or larger compressed)


def load(folder: Path) -> dict[str, Asset]:
    """Every file under `folder` by its path relative to it, with its gzip -9 form where that is smaller."""
    assets = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        raw = file.read_bytes()
        packed = gzip.compress(raw, compresslevel=9, mtime=0) if file.suffix in TEXT_SUFFIXES else None
        kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        assets[file.relative_to(folder).as_posix()] = Asset(
            kind, raw, packed if packed and len(packed) < len(raw) else None
        )
    return assets


def accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0)."""
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        if name.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def handler_for(assets: dict[str, Asset]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "shellcount-assets"
        protocol_version = "HTTP/1.1"  # keep-alive: a first visit asks for ~100 files

        def do_GET(self) -> None:
            self._answer(body=True)

        def do_HEAD(self) -> None:
            self._answer(body=False)

        def _answer(self, body: bool) -> None:
            path = self.path.split("?", 1)[0]
            if path == "/health":  # HAProxy's check
                return self._send(200, "text/plain", b"ok", body)
            # /static/js/x.js, or /<base>/static/js/x.js: the part after the first /static/ names the file
            _, found, name = path.partition("/static/")
            asset = assets.get(name) if found else None
            if asset is None:
                return self._send(404, "text/plain", b"not found", body)
            packed = asset.gzipped is not None and accepts_gzip(self.headers.get("Accept-Encoding", ""))
            extra = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
            if packed:
                extra["Content-Encoding"] = "gzip"
            self._send(200, asset.content_type, asset.gzipped if packed else asset.raw, body, extra)

        def _send(self, status: int, kind: str, data: bytes, body: bool, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass  # one line per file of every visit would drown the log; HAProxy logs the requests

    return Handler


def make_server(port: int = 0, address: str = "127.0.0.1", folder: Path | None = None) -> ThreadingHTTPServer:
    assets = load(folder or streamlit_static_dir())
    server = ThreadingHTTPServer((address, port or free_port(address)), handler_for(assets))
    server.daemon_threads = True  # a client that hangs must not keep the process from stopping
    return server


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m serving.assets", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8502)
    parser.add_argument("--address", default="127.0.0.1", help="where to listen (default: loopback only)")
    args = parser.parse_args(argv)
    server = make_server(args.port, args.address)
    print(f"serving Streamlit's bundle, precompressed, on http://{args.address}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # the normal way to stop a server: not an interruption
        pass
    finally:
        server.server_close()
    return cli.EXIT_OK


if __name__ == "__main__":
    cli.run(main)
