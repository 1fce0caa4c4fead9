"""A row id in a URL beyond what an INTEGER column holds is an unknown id (404), not a database
error."""

import pytest

from delivery.models import MAX_ROW_ID
from tests.web.test_pages import login

TOO_BIG = MAX_ROW_ID + 1


@pytest.mark.parametrize("path", [f"/api/v1/print-jobs/{TOO_BIG}",
                                  f"/api/v1/print-jobs/{TOO_BIG}/labels.pdf",
                                  f"/print/jobs/{TOO_BIG}", "/api/v1/print-jobs/0"])
def test_it_answers_404_for_a_print_job_id_no_row_can_have(demo, client, api_headers, path):
    login(client, "counter")
    assert client.get(path).status_code == 404


def test_it_still_finds_the_largest_id_a_row_can_have_to_be_unknown(demo, client):
    login(client, "counter")
    assert client.get(f"/api/v1/print-jobs/{MAX_ROW_ID}").status_code == 404


def test_it_answers_404_for_an_outbox_row_id_no_row_can_have(demo, client):
    login(client, "supervisor")
    assert client.get(f"/staff/outbox/{TOO_BIG}").status_code == 404
