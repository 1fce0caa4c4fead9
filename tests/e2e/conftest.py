"""Browser tests: Debian's Chromium driven by Playwright against the app served on 127.0.0.1 (a
secure context, so camera and service workers behave as on a phone)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
SCREENSHOTS = os.environ.get("SCREENSHOTS_DIR")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def served_whole(app: Callable) -> Callable:
    """``app`` with every response body read and closed before the server sends it.

    werkzeug's development server skips a response's close() when the peer resets the connection
    just after the body was written (the drain of the request socket in its ``finally`` raises
    first). Chromium does that when a page moves on while a stylesheet is in flight: the static
    file's handle then leaks, and with ``filterwarnings = error`` its ResourceWarning fails
    whichever test happens to be running. Pages and assets here are small, so the test server can
    hold each body whole."""

    def wsgi(environ: dict, start_response: Callable) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@pytest.fixture
def live_server(demo) -> Iterator[str]:
    """The demo app served by a real HTTP server in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, served_whole(demo), threaded=True)
    # Requests still running at the end (the courier page's background sync) finish before the
    # app's engine is disposed: server_close() joins them. A request thread left holding a
    # database connection past the dispose let the connection be garbage-collected open, and its
    # ResourceWarning failed whichever test was running then.
    server.daemon_threads, server.block_on_close = False, True
    base = f"http://127.0.0.1:{server.server_port}"
    demo.config["PUBLIC_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[object]:
    """One Playwright driver for the run: a second sync_playwright() inside the first is refused."""
    if chromium_path() is None:
        if os.environ.get("CI"):
            pytest.fail("CI must install Debian's chromium for the browser tests")
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright) -> Iterator[object]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900}, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  has_touch=True, locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


# door.js sends the courier's form and shows the item page again: two round trips, slow on a
# loaded machine
DOOR_ANSWER_MS = 15_000


def screenshot(page, name: str) -> None:
    """Keep a screenshot for the docs when SCREENSHOTS_DIR is set (README images are made this
    way)."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=True)


def log_in(page, base: str, username: str) -> None:
    from tests.conftest import PASSWORD

    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
