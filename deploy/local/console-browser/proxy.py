"""A tiny stand-in for oauth2-proxy in the console's browser test: forwards every request to ombud-console and sets
the identity headers (X-Forwarded-Email, X-Forwarded-Groups) itself, dropping any the browser sent, as the real proxy
does after its OIDC login. Streams responses, so the live queue's server-sent events pass through."""
import http.client
import http.server
import sys

UPSTREAM_HOST = "127.0.0.1"
IDENTITY = ("X-Forwarded-Email", "X-Forwarded-Groups")


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # the body ends when the connection closes: simple, and right for event streams

    def do_GET(self):
        self.forward()

    def do_POST(self):
        self.forward()

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "connection", "content-length") and k not in IDENTITY
                   and k.lower() not in (h.lower() for h in IDENTITY)}
        headers[IDENTITY[0]] = self.server.agent
        headers[IDENTITY[1]] = self.server.groups
        upstream = http.client.HTTPConnection(UPSTREAM_HOST, self.server.upstream_port, timeout=60)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            response = upstream.getresponse()
            self.send_response_only(response.status, response.reason)
            for name, value in response.getheaders():
                if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            while True:
                chunk = response.read1(65536)
                if not chunk:
                    break
                self.wfile.write(chunk)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            upstream.close()

    def log_message(self, *args):
        pass


def serve(port, upstream_port, agent, groups):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy)
    server.daemon_threads = True
    server.upstream_port = upstream_port
    server.agent = agent
    server.groups = groups
    return server


if __name__ == "__main__":
    port, upstream, agent, groups = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    serve(port, upstream, agent, groups).serve_forever()
