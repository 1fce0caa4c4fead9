import pytest

from delivery.intake import create_consignment, parse_intake
from tests.payloads import intake_body


@pytest.fixture
def consignment(session, agency):
    consignment, _ = create_consignment(session, parse_intake(intake_body()), agency,
                                        indicator="RR")
    session.commit()
    return consignment
