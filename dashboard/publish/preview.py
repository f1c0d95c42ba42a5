"""Serve a built site locally as a production host would: `python -m dashboard.publish.preview [--dir site]`.

Python's own `http.server` sends every file uncompressed and uncached, so a preview (or a benchmark) over it says
nothing about what a reader downloads. This one sends the precompressed `.br` or `.gz` beside a file when the
browser accepts it (as nginx's brotli_static/gzip_static do) and the Cache-Control of hosting.RULES.
"""

from __future__ import annotations

import functools
import http.server
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dashboard import cli
from dashboard.publish import compress, hosting


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as any real host (an HTTP/1.0 client still gets one answer)
    quiet = True

    def log_message(self, *args) -> None:
        if not self.quiet:
            super().log_message(*args)

    def end_headers(self) -> None:
        path = unquote(urlsplit(self.path).path)
        self.send_header("Cache-Control", hosting.cache_control(path))
        if path.endswith("/") or compress.compressible(path):  # the bytes differ by Accept-Encoding: caches key on it
            self.send_header("Vary", "Accept-Encoding")
        super().end_headers()

    def send_head(self):
        """The file, or its precompressed copy when the request accepts that encoding; else as http.server does."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to the folder's own URL, as http.server does
            path = path / "index.html"
        accepted = {part.split(";")[0].strip() for part in self.headers.get("Accept-Encoding", "").split(",")}
        if path.is_file() and compress.compressible(path.name):
            for encoding, suffix in compress.ENCODINGS.items():
                encoded = path.with_name(path.name + suffix)
                if encoding in accepted and encoded.is_file():
                    body = encoded.open("rb")
                    self.send_response(200)
                    self.send_header("Content-Type", self.guess_type(str(path)))
                    self.send_header("Content-Encoding", encoding)
                    self.send_header("Content-Length", str(os.fstat(body.fileno()).st_size))
                    self.end_headers()
                    return body
        return super().send_head()


def server(folder: Path, port: int = 0, host: str = "127.0.0.1") -> http.server.ThreadingHTTPServer:
    """A threaded server of `folder` (port 0: any free port, read it from .server_port); call serve_forever()."""
    return http.server.ThreadingHTTPServer((host, port), functools.partial(Handler, directory=str(folder)))


def main(argv: list[str] | None = None) -> int:
    parser = cli.Parser(prog="python -m dashboard.publish.preview", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", default="site", help="the built site (default: site/)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default: loopback only)")
    args = parser.parse_args(argv)
    if not Path(args.dir).is_dir():
        parser.error(f"--dir {args.dir} is not a folder; build the site first (python -m dashboard.publish)")
    Handler.quiet = False
    httpd = server(Path(args.dir), args.port, args.bind)
    print(f"serving {args.dir}/ on http://{args.bind}:{httpd.server_port}/ (Ctrl-C stops)", flush=True)
    with httpd:
        httpd.serve_forever()
    return cli.EXIT_OK


if __name__ == "__main__":
    cli.run(main)
