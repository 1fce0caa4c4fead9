"""The courier's item and scan pages on a rural connection (issue 18).

    python bench/courier_network.py [--runs 3]

Serves the demo app (temporary SQLite, seed-demo, one consignment made through the API with the demo
key and brought to the delivery office) on 127.0.0.1 and opens it in Debian's Chromium at 360 px,
logged in as the demo courier. Chromium's network emulation (CDP
``Network.emulateNetworkConditions``: 400 ms round trip, 50,000 bytes/s each way, i.e. 400 kbit/s)
is on for every measured load.

- cold: browser cache cleared, no service worker, no Cache Storage;
- warm: the second visit, after the scan page has registered the service worker and it is active.

Reports, per page and state, the time from navigation start to DOMContentLoaded and to ``load``
(Navigation Timing) and the bytes moved for the page (sum of ``encodedDataLength`` of
``Network.loadingFinished``), against the targets: usable within 3 s cold and 1 s warm (judged on
``load``), at most 200 KB cold. The largest resources of each cold load are listed after the table.

The service worker is a target of its own: for the warm loads this script attaches to it, throttles
it and counts what it fetches (the network-first navigation). Its install, during the cold load, is
neither throttled nor counted (it registers itself from the scan page's script, before this script
can attach); what the install fetches is listed under the table.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

API_KEY = "bk_bench-key-for-the-demo-upstream-client"
PASSWORD = "bench-password-123"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
RURAL = {"offline": False, "latency": 400, "downloadThroughput": 50_000,
         "uploadThroughput": 50_000}
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
         "locale": "vi-VN"}
TARGET_COLD_S, TARGET_WARM_S, TARGET_COLD_KB = 3.0, 1.0, 200


def demo_app(folder: Path):
    """The demo app on a fresh SQLite database in ``folder``, with one consignment at the delivery
    office; returns (app, tracking number)."""
    from sqlmodel import Session

    from tests.payloads import intake_body, scan_body
    from web import create_app
    from web.cli import run_setup
    from web.demo import seed_demo

    os.environ["DEMO_API_KEY"], os.environ["DEMO_PASSWORD"] = API_KEY, PASSWORD
    app = create_app({"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "REDIS_URL": None,
                      "SECRET_KEY": "bench-secret", "PROOF_PHOTO_DIR": str(folder / "proofs"),
                      "PRINT_FOLDER": str(folder / "prints"), "SMS_QUIET_HOURS": (0, 0)})
    with app.app_context():
        run_setup()
        with Session(app.extensions["db_engine"]) as db:
            seed_demo(db)
    client, headers = app.test_client(), {"Authorization": f"Bearer {API_KEY}"}
    number = client.post("/api/v1/consignments", json=intake_body(1),
                         headers=headers).get_json()["tracking_number"]
    for event in ("accepted", "arrived_delivery_office"):
        client.post("/api/v1/scans", json=scan_body(number, event), headers=headers)
    return app, number


def served_whole(app: Callable) -> Callable:
    """``app`` with each body read whole before it is sent (as tests/e2e/conftest.py serves it)."""

    def wsgi(environ: dict, start_response: Callable) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def live_server(app) -> Iterator[str]:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, served_whole(app), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()


class Meter:
    """CDP sessions on one page (and, once it exists, on its service worker) that throttle the
    connection and record what each load moved, by request.

    The page's own session neither throttles nor sees the requests its service worker makes (a
    navigation the worker answers from the network, network-first): the worker is a target of its
    own, reached here through the browser's session (Target.attachToTarget, non-flat)."""

    def __init__(self, browser, context, page) -> None:
        self.cdp = context.new_cdp_session(page)
        self.browser_cdp = browser.new_browser_cdp_session()
        self.worker: str | None = None
        self.message_id = 0
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.cdp.on("Network.requestWillBeSent", self.request_sent)
        self.cdp.on("Network.loadingFinished", self.loading_finished)
        self.browser_cdp.on("Target.receivedMessageFromTarget", self.from_worker)
        self.cdp.send("Network.enable")

    def request_sent(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def loading_finished(self, event: dict) -> None:
        self.sizes[event["requestId"]] = event["encodedDataLength"]

    def from_worker(self, event: dict) -> None:
        if event["sessionId"] != self.worker:
            return
        message = json.loads(event["message"])
        if message.get("method") == "Network.requestWillBeSent":
            self.request_sent(message["params"])
        elif message.get("method") == "Network.loadingFinished":
            self.loading_finished(message["params"])

    def to_worker(self, method: str, params: dict | None = None) -> None:
        self.message_id += 1
        message = {"id": self.message_id, "method": method, "params": params or {}}
        self.browser_cdp.send("Target.sendMessageToTarget",
                              {"sessionId": self.worker, "message": json.dumps(message)})

    def follow_worker(self, base: str) -> None:
        """Attaches to the service worker of this page's context that serves ``base``."""
        context_id = self.cdp.send("Target.getTargetInfo")["targetInfo"]["browserContextId"]
        targets = self.browser_cdp.send("Target.getTargets")["targetInfos"]
        workers = [t for t in targets
                   if t["type"] == "service_worker" and t["url"].startswith(base) and
                   t.get("browserContextId") == context_id]
        if not workers:
            raise RuntimeError("no service worker to follow")
        self.worker = self.browser_cdp.send(
            "Target.attachToTarget", {"targetId": workers[-1]["targetId"], "flatten": False}
        )["sessionId"]
        self.to_worker("Network.enable")

    def throttle(self, on: bool) -> None:
        conditions = RURAL if on else {"offline": False, "latency": 0, "downloadThroughput": -1,
                                       "uploadThroughput": -1}
        self.cdp.send("Network.emulateNetworkConditions", conditions)
        if self.worker:
            self.to_worker("Network.emulateNetworkConditions", conditions)

    def measure(self, page, url: str) -> dict:
        """Loads ``url`` throttled; times from Navigation Timing, bytes from the CDP events."""
        self.urls.clear()
        self.sizes.clear()
        self.throttle(True)
        page.goto(url, wait_until="load", timeout=120_000)
        timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
            return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }""")
        page.wait_for_timeout(300)  # late loadingFinished events of the page's own requests
        self.throttle(False)
        largest = sorted(((size, self.urls.get(rid, "?")) for rid, size in self.sizes.items()),
                         reverse=True)
        return {"dcl": timing["dcl"] / 1000, "load": timing["load"] / 1000,
                "bytes": sum(self.sizes.values()), "largest": largest}


def forget_everything(page, meter: Meter) -> None:
    """No service worker, no Cache Storage, no HTTP cache: a phone that never opened these pages
    (the session cookie stays)."""
    page.evaluate("""async () => {
        for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
        for (const k of await caches.keys()) await caches.delete(k); }""")
    meter.cdp.send("Network.clearBrowserCache")


def worker_ready(page) -> None:
    """Waits until the service worker is active and controls the page (its shell cached)."""
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")


def log_in(page, base: str) -> None:
    page.goto(base + "/login")
    page.fill("#username", "courier")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state("load")


def one_run(browser, base: str, number: str) -> dict[tuple[str, str], dict]:
    """Cold and warm loads of both pages, each page in a context (phone) of its own."""
    results = {}
    for name, path in (("item", f"/courier/items/{number}"), ("scan", "/courier/scan")):
        context = browser.new_context(**PHONE)
        page = context.new_page()
        meter = Meter(browser, context, page)
        log_in(page, base)
        forget_everything(page, meter)
        results[(name, "cold")] = meter.measure(page, base + path)
        if name == "item":  # the item page registers no worker: the courier came from the scan page
            page.goto(base + "/courier/scan")
        worker_ready(page)
        meter.follow_worker(base)
        results[(name, "warm")] = meter.measure(page, base + path)
        context.close()
    return results


def shell_bytes(app) -> int:
    """What the service worker's install fetches (its SHELL list), by the files' sizes on disk."""
    static = Path(app.static_folder)
    files = ["app.css", "js/courier/scan-page.js", "js/courier/queue.js", "js/courier/login.js",
             "js/courier/logout.js", "js/courier/scanner.js", "js/courier/s10.js",
             "js/courier/signals.js", "js/courier/confirm.js", "js/courier/door.js",
             "vendor/zxing-library-0.23.0/index.min.js"]
    return sum((static / f).stat().st_size for f in files)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def table(runs: list[dict]) -> list[str]:
    lines = ["| page | state | DOMContentLoaded (s) | load (s) | target | | transferred (KB) "
             "| target | |", "|---|---|---:|---:|---|---|---:|---|---|"]
    for name, title in (("item", "item /courier/items/<S10>"), ("scan", "scan /courier/scan")):
        for state in ("cold", "warm"):
            figures = [run[(name, state)] for run in runs]
            dcl = statistics.median(f["dcl"] for f in figures)
            load = statistics.median(f["load"] for f in figures)
            kb = statistics.median(f["bytes"] for f in figures) / 1000
            limit = TARGET_COLD_S if state == "cold" else TARGET_WARM_S
            size = (f"<= {TARGET_COLD_KB} KB", verdict(kb <= TARGET_COLD_KB)) if state == "cold" \
                else ("(none)", "")
            loads = [f["load"] for f in figures]
            spread = f" ({min(loads):.2f}-{max(loads):.2f})"
            lines.append(f"| {title} | {state} | {dcl:.2f} | {load:.2f}{spread} | <= {limit:.0f} s "
                         f"| {verdict(load <= limit)} | {kb:.1f} | {size[0]} | {size[1]} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="courier-network-"))
    try:
        app, number = demo_app(folder)
        with live_server(app) as base, sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_ARGS)
            runs = [one_run(browser, base, number) for _ in range(args.runs)]
            browser.close()
        print(f"{args.runs} runs, medians (load: min-max); 400 ms RTT, 50,000 B/s each way\n")
        print("\n".join(table(runs)))
        for name, state in (("item", "cold"), ("scan", "cold"), ("item", "warm"), ("scan", "warm")):
            print(f"\nLargest resources, {name} page, {state} (first run):")
            for size, url in runs[0][(name, state)]["largest"][:5]:
                print(f"  {size / 1000:8.1f} KB  {url.replace(base, '')}")
        print(f"\nService worker install (its own target, unthrottled, not counted above): "
              f"{shell_bytes(app) / 1000:.1f} KB of static files + the scan page")
        app.extensions["db_engine"].dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
