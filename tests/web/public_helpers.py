"""Shared steps of the public-page tests: create an item through the API, move it, read the page's
CSRF token."""

from __future__ import annotations

import re

from tests.payloads import intake_body, scan_body


def create_item(client, headers, number: int = 1, **overrides) -> tuple[str, str]:
    """(tracking number, token) of a new consignment."""
    body = client.post("/api/v1/consignments", json=intake_body(number, **overrides),
                       headers=headers).get_json()
    return body["tracking_number"], body["tracking_url"].rsplit("/", 1)[1]


def move(client, headers, number: str, *events: str) -> None:
    for event in events:
        response = client.post("/api/v1/scans", json=scan_body(number, event), headers=headers)
        assert response.status_code == 201, response.get_json()


def page_csrf(client, token: str) -> str:
    html = client.get(f"/t/{token}").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
