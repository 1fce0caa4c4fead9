"""A small local HTTP server standing in for a Nominatim geocoder (what geopy's ``Nominatim`` client
talks to)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class NominatimStandIn:
    """Answers ``GET /search?q=...&format=json`` with a JSON list in Nominatim's format.

    ``places`` maps a phrase to (lat, lon): the first phrase the query starts with (ignoring case)
    is the answer, else the list is empty ("nothing found"). ``status`` other than 200 makes every
    answer an error. Each request's query and arrival time (``time.monotonic()``) is kept in
    ``requests``. Use as a context manager: the server is started on 127.0.0.1 and a free port, and
    closed on exit.
    """

    def __init__(self, places: dict[str, tuple[float, float]] | None = None,
                 status: int = 200) -> None:
        self.places, self.status = dict(places or {}), status
        self.requests: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                url = urlsplit(self.path)
                query = parse_qs(url.query).get("q", [""])[0]
                with stand_in.lock:
                    stand_in.requests.append((query, time.monotonic()))
                body = json.dumps(stand_in.answer(query) if url.path == "/search" else []).encode()
                self.send_response(stand_in.status if url.path == "/search" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    def answer(self, query: str) -> list[dict[str, Any]]:
        for phrase, (lat, lon) in self.places.items():
            if query.lower().startswith(phrase.lower()):
                return [{"place_id": 1, "licence": "stand-in", "osm_type": "node", "osm_id": 1,
                         "lat": str(lat), "lon": str(lon), "display_name": f"{phrase}, Việt Nam",
                         "class": "place", "type": "suburb", "importance": 0.5,
                         "boundingbox": [str(lat), str(lat), str(lon), str(lon)]}]
        return []

    @property
    def count(self) -> int:
        with self.lock:
            return len(self.requests)

    def __enter__(self) -> NominatimStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
