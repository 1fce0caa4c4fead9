import pytest

from delivery.intake import create_consignment, parse_intake
from tests.payloads import intake_body


@pytest.fixture
def new_consignment(session, agency):
    """Makes a committed consignment through the real intake path; numbered to keep dossier codes
    apart."""
    counter = iter(range(1, 10_000))

    def make(**overrides):
        consignment, _ = create_consignment(session,
                                            parse_intake(intake_body(next(counter), **overrides)),
                                            agency, indicator="RR")
        session.commit()
        return consignment

    return make
