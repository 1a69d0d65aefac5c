#!/usr/bin/env python3
"""A small HTTP server for the end-to-end tests.

GET answers with the file of that name under --root, or with a canned body:
--once NAME=BODY answers NAME's first request with BODY (later ones with the
file), --always BODY answers every request with BODY. Each request's path,
without the leading '/', is appended to --log. Prints "port N" once it
listens on a free port of 127.0.0.1.
"""
import argparse
import http.server
import os

ap = argparse.ArgumentParser()
ap.add_argument("--root", default=".")
ap.add_argument("--log")
ap.add_argument("--once", action="append", default=[])
ap.add_argument("--always")
args = ap.parse_args()
once = dict(o.split("=", 1) for o in args.once)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        name = self.path.lstrip("/")
        if args.log:
            with open(args.log, "a") as f:
                f.write(name + "\n")
        if args.always is not None:
            body = args.always.encode()
        elif name in once:
            body = once.pop(name).encode()
        else:
            try:
                with open(os.path.join(args.root, os.path.basename(name)), "rb") as f:
                    body = f.read()
            except OSError:
                self.send_error(404)
                return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], flush=True)
server.serve_forever()
