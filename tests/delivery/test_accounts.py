import pytest

from delivery.accounts import create_api_client
from delivery.errors import ValidationFailed


def test_it_refuses_an_api_client_that_belongs_to_nobody(session):
    with pytest.raises(ValidationFailed) as caught:
        create_api_client(session, "motcua", "read")
    assert "agency" in caught.value.errors


def test_it_refuses_an_api_client_of_an_agency_and_the_postal_network(session, agency):
    with pytest.raises(ValidationFailed):
        create_api_client(session, "motcua", "read", agency.id, postal=True)


def test_it_gives_a_postal_client_no_agency(session):
    client, _ = create_api_client(session, "vnpost", "scan read", postal=True)
    assert client.postal and client.agency_id is None and client.scopes == "scan read"
