from delivery.access import EVERYTHING
from delivery.search import recent_consignments, search_consignments


def test_it_finds_by_tracking_number_in_its_printed_form(session, new_consignment):
    consignment = new_consignment()
    spaced = " ".join([consignment.tracking_number[:2], consignment.tracking_number[2:11], "VN"])
    assert search_consignments(session, spaced.lower(), EVERYTHING) == [consignment]


def test_it_finds_by_phone_in_any_written_form(session, new_consignment):
    consignment = new_consignment()
    assert search_consignments(session, "+84 912.345.678", EVERYTHING) == [consignment]


def test_it_finds_by_part_of_the_name(session, new_consignment):
    consignment = new_consignment()
    assert search_consignments(session, "văn an", EVERYTHING) == [consignment]


def test_it_ignores_a_one_letter_query(session, new_consignment):
    new_consignment()
    assert search_consignments(session, "n", EVERYTHING) == []


def test_it_lists_the_newest_first(session, new_consignment):
    first, second = new_consignment(), new_consignment()
    assert recent_consignments(session, EVERYTHING) == [second, first]


def test_it_finds_a_name_typed_without_diacritics(session, new_consignment):
    consignment = new_consignment()
    assert search_consignments(session, "NGUYEN VAN", EVERYTHING) == [consignment]
