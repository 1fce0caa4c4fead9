from sqlmodel import select

from delivery.accounts import create_user
from delivery.coverage import coverage_report
from delivery.directory import AgencyEntry, OfficeEntry, save_agency, save_office
from delivery.models import Ward

HANOI = 1


def hanoi(session):
    return coverage_report(session, HANOI)[0]


def delivery_office(session):
    save_office(session, OfficeEntry("100100", "Bưu cục phát Hoàn Kiếm", "delivery", HANOI,
                                     wards=(70, 73)))


def test_it_counts_the_wards_no_delivery_office_serves(session):
    delivery_office(session)
    coverage = hanoi(session)
    assert (coverage.ward_count, len(coverage.wards_without_office)) == (126, 124)
    assert coverage.wards_without_office[0] == "00004 Phường Ba Đình"
    assert "00070 Phường Hoàn Kiếm" not in coverage.wards_without_office


def test_it_reports_every_province_in_code_order(session):
    report = coverage_report(session)
    assert len(report) == 34 and [p.code for p in report] == sorted(p.code for p in report)
    assert sum(p.ward_count for p in report) == 3321


def test_it_names_a_delivery_office_without_a_courier(session):
    delivery_office(session)
    assert hanoi(session).offices_without_couriers == ("100100 Bưu cục phát Hoàn Kiếm",)


def test_it_counts_only_active_couriers(session):
    delivery_office(session)
    courier = create_user(session, "lan", "mật-khẩu-dài", "courier", "100100")
    assert hanoi(session).offices_without_couriers == ()
    courier.active = False
    session.flush()
    assert hanoi(session).offices_without_couriers == ("100100 Bưu cục phát Hoàn Kiếm",)


def test_it_names_an_agency_no_counter_serves(session):
    save_agency(session, AgencyEntry("000.00.01.H26", "TT PVHCC Hà Nội", HANOI))
    assert hanoi(session).agencies_without_counter == ("000.00.01.H26 TT PVHCC Hà Nội",)
    save_office(session, OfficeEntry("100000", "Bưu điện TT PVHCC", "counter", HANOI,
                                     serves=("000.00.01.H26",)))
    assert hanoi(session).agencies_without_counter == ()


def test_it_lists_agencies_without_a_province_apart(session):
    save_agency(session, AgencyEntry("000.00.01.G01", "Bộ Tư pháp"))
    last = coverage_report(session)[-1]
    assert (last.code, last.agencies_without_counter) == (None, ("000.00.01.G01 Bộ Tư pháp",))


def test_it_sees_a_province_without_gaps_as_complete(session):
    wards = tuple(session.exec(select(Ward.code).where(Ward.province_code == HANOI)).all())
    save_office(session, OfficeEntry("100100", "Bưu cục phát Hà Nội", "delivery", HANOI,
                                     wards=wards))
    assert not hanoi(session).complete
    create_user(session, "lan", "mật-khẩu-dài", "courier", "100100")
    assert hanoi(session).complete
