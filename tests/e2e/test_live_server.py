"""The browser tests' own server must not leak what a response holds when the browser hangs up."""

import socket
import struct
import threading
import time

from werkzeug.serving import make_server

from tests.e2e.conftest import served_whole


class Body:
    """A response body that records whether the server closed it (as a static file's wrapper must
    be)."""

    def __init__(self) -> None:
        self.closed = False

    def __iter__(self):
        yield b"x" * 20_000

    def close(self) -> None:
        self.closed = True


def hang_up_on(port: int, k: int) -> None:
    """Ask for the body, then reset the connection (SO_LINGER 0) at slightly different moments."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(b"GET /app.css HTTP/1.1\r\nHost: localhost\r\n\r\n")
        if k % 2:
            client.recv(100)
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


def test_it_closes_every_response_body_even_when_the_browser_hangs_up():
    bodies = []

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/css"), ("Content-Length", "20000")])
        bodies.append(Body())
        return bodies[-1]

    server = make_server("127.0.0.1", 0, served_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for k in range(60):
            hang_up_on(server.server_port, k)
        # the server's threads may still be finishing the last requests
        deadline = time.monotonic() + 3
        while not all(body.closed for body in bodies) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()
    assert len(bodies) >= 30 and all(body.closed for body in bodies)
