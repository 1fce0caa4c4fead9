import pytest
from sqlmodel import select

from delivery.accounts import authenticate_api_key
from delivery.directory import find_agency, find_office, office_entry
from delivery.models import ApiClient
from delivery.organisation import ApiClientOffice

AGENCY = "000.00.01.H26"
BAD_ROWS = ("Đối tượng / record,Mã / code,Tên / name,Loại bưu cục / kind,Tỉnh / province,"
            "Mã phường xã / wards,Bưu cục / office\n"
            "office,100100,Bưu cục phát Hoàn Kiếm,delivery,01,00070;00073,\n"
            "office,100200,Bưu cục phát Ba Đình,delivery,01,00004;99999,\n"
            "beat,T01,Tuyến 1,,,00070,100900\n")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()
    return lambda *args, **kwargs: runner.invoke(args=list(args), **kwargs)


@pytest.fixture
def example(repo_root):
    return str(repo_root / "docs" / "directory-example.csv")


def test_it_creates_an_agency_and_prints_its_webhook_secret_once(cli, session):
    first = cli("create-agency", AGENCY, "TT PVHCC Hà Nội", "--province", "01",
                "--webhook-url", "https://motcua.example/hook")
    second = cli("create-agency", AGENCY, "TT PVHCC Hà Nội")
    secret = first.output.strip().splitlines()[-1]
    assert first.exit_code == 0 and find_agency(session, AGENCY).webhook_secret == secret
    assert second.exit_code == 0 and "unchanged" in second.output and secret not in second.output


def test_it_keeps_what_create_agency_was_not_given(cli, session):
    cli("create-agency", AGENCY, "TT PVHCC", "--province", "1",
        "--webhook-url", "https://motcua.example/hook")
    cli("create-agency", AGENCY, "TT PVHCC Hà Nội")
    agency = find_agency(session, AGENCY)
    assert (agency.name, agency.province_code, agency.webhook_url) == (
        "TT PVHCC Hà Nội", 1, "https://motcua.example/hook")


def test_it_refuses_an_agency_code_naming_the_field_as_people_do(cli, session):
    result = cli("create-agency", "H26", "TT PVHCC Hà Nội")
    assert result.exit_code == 1 and "Mã / code: " in result.output
    assert find_agency(session, "H26") is None


def test_it_creates_a_delivery_office_with_its_wards(cli, session):
    result = cli("create-office", "100100", "Bưu cục phát Hoàn Kiếm", "--kind", "delivery",
                 "--province", "1", "--wards", "00070,73")
    assert result.exit_code == 0 and "created" in result.output
    assert office_entry(session, find_office(session, "100100")).wards == (70, 73)


def test_it_creates_a_counter_serving_an_agency(cli, session):
    cli("create-agency", AGENCY, "TT PVHCC Hà Nội")
    cli("create-office", "100000", "Bưu điện TT PVHCC", "--kind", "counter", "--province", "1",
        "--serves", AGENCY)
    assert office_entry(session, find_office(session, "100000")).serves == (AGENCY,)


def test_it_keeps_an_offices_wards_when_create_office_is_not_given_them(cli, session):
    cli("create-office", "100100", "BC Hoàn Kiếm", "--kind", "delivery", "--province", "1",
        "--wards", "70,73", "--hours", "7:30-19:00")
    result = cli("create-office", "100100", "Bưu cục phát Hoàn Kiếm", "--kind", "delivery",
                 "--province", "1")
    entry = office_entry(session, find_office(session, "100100"))
    assert result.exit_code == 0 and "updated" in result.output
    assert (entry.name, entry.wards, entry.hours) == ("Bưu cục phát Hoàn Kiếm", (70, 73),
                                                      "7:30-19:00")


def test_it_refuses_wards_for_a_hub(cli, session):
    result = cli("create-office", "100900", "TT Khai thác Hà Nội", "--kind", "hub",
                 "--province", "1", "--wards", "4")
    assert result.exit_code == 1 and "Mã phường xã / wards: " in result.output
    assert find_office(session, "100900") is None


def test_it_imports_the_example_and_prints_the_new_secrets(cli, example):
    result = cli("import-directory", example)
    assert result.exit_code == 0, result.output
    assert "16 created, 0 updated, 0 unchanged, 0 row(s) refused" in result.output
    assert result.output.count("Webhook secret of agency") == 2


def test_it_imports_the_good_rows_and_names_the_bad_ones(cli, session, tmp_path):
    file = tmp_path / "danhba.csv"
    file.write_text(BAD_ROWS, encoding="utf-8")
    result = cli("import-directory", str(file))
    assert result.exit_code == 1 and "1 created" in result.output
    assert "dòng / row 3: Mã phường xã / wards: " in result.output and "99999" in result.output
    assert "dòng / row 4: Bưu cục / office: " in result.output
    assert find_office(session, "100100") and find_office(session, "100200") is None


def test_it_refuses_a_file_that_is_no_directory(cli, tmp_path):
    file = tmp_path / "danhba.csv"
    file.write_text("ma_ho_so,ho_ten\n1,2\n", encoding="utf-8")
    result = cli("import-directory", str(file))
    assert result.exit_code == 1 and "record" in result.output


@pytest.mark.parametrize("name", ["danhba.csv", "danhba.xlsx"])
def test_it_exports_what_imports_back_unchanged(cli, example, tmp_path, name):
    cli("import-directory", example)
    assert cli("export-directory", str(tmp_path / name)).exit_code == 0
    again = cli("import-directory", str(tmp_path / name))
    assert again.exit_code == 0 and "0 created, 0 updated, 16 unchanged" in again.output


def test_it_refuses_to_export_to_an_unknown_format(cli, tmp_path):
    result = cli("export-directory", str(tmp_path / "danhba.pdf"))
    assert result.exit_code == 1 and not (tmp_path / "danhba.pdf").exists()


def test_it_reports_coverage_per_province(cli, example):
    cli("import-directory", example)
    result = cli("coverage-report", "--province", "1")
    assert result.exit_code == 0
    assert "wards without a delivery office: 119 of 126 (00004 Phường Ba Đình" in result.output
    assert "100100 Bưu cục phát Hoàn Kiếm, 115000 Bưu cục phát Đống Đa" in result.output
    assert "agencies without a counter" not in result.output


def test_it_reports_the_whole_country(cli):
    result = cli("coverage-report")
    assert result.output.count("wards without a delivery office:") == 34
    assert "Tổng / total: 3321 ward(s) without a delivery office" in result.output


# --- create-api-client: an agency's key or a postal-network key ----------------------------------

def test_it_creates_a_postal_client_bound_to_offices(cli, session):
    cli("create-office", "100100", "Bưu cục phát Hoàn Kiếm", "--kind", "delivery",
        "--province", "1")
    cli("create-office", "100900", "TT Khai thác Hà Nội", "--kind", "hub", "--province", "1")
    result = cli("create-api-client", "vnpost", "--scopes", "scan read", "--postal",
                 "--office", "100100", "--office", "100900")
    client = session.exec(select(ApiClient)).one()
    offices = session.exec(select(ApiClientOffice.office_id)).all()
    assert result.exit_code == 0 and client.postal and client.agency_id is None
    assert sorted(offices) == sorted([find_office(session, "100100").id,
                                      find_office(session, "100900").id])
    assert authenticate_api_key(session, result.output.strip().splitlines()[-1]) is not None


def test_it_creates_a_postal_client_for_every_office(cli, session):
    result = cli("create-api-client", "vnpost", "--scopes", "read", "--postal")
    assert result.exit_code == 0 and session.exec(select(ApiClientOffice)).all() == []


def test_it_never_gives_a_postal_client_intake(cli, session):
    result = cli("create-api-client", "vnpost", "--scopes", "intake scan read", "--postal")
    assert result.exit_code == 1 and "scan and read only" in result.output
    assert session.exec(select(ApiClient)).all() == []


def test_it_refuses_a_postal_client_bound_to_an_unknown_office(cli, session):
    result = cli("create-api-client", "vnpost", "--scopes", "read", "--postal",
                 "--office", "999999")
    assert result.exit_code == 1 and "999999" in result.output
    assert session.exec(select(ApiClient)).all() == []


@pytest.mark.parametrize("binding", [[], ["--agency", AGENCY, "--postal"]])
def test_it_wants_exactly_one_of_agency_or_postal(cli, session, binding):
    cli("create-agency", AGENCY, "TT PVHCC Hà Nội")
    result = cli("create-api-client", "motcua", "--scopes", "read", *binding)
    assert result.exit_code == 2 and "exactly one of --agency CODE or --postal" in result.output
    assert session.exec(select(ApiClient)).all() == []


def test_it_binds_offices_only_to_a_postal_client(cli, session):
    cli("create-agency", AGENCY, "TT PVHCC Hà Nội")
    cli("create-office", "100100", "Bưu cục phát Hoàn Kiếm", "--kind", "delivery",
        "--province", "1")
    result = cli("create-api-client", "motcua", "--scopes", "read", "--agency", AGENCY,
                 "--office", "100100")
    assert result.exit_code == 1 and "postal" in result.output


def test_it_imports_the_example_over_the_demo(demo, example):
    result = demo.test_cli_runner().invoke(args=["import-directory", example])
    assert result.exit_code == 0 and "0 row(s) refused" in result.output
