"""Resolving citizens' addresses (old three-tier or new two-tier) to one post-2025 ward."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from vietnam_provinces import Ward

from delivery.address import (
    cache_file_name,
    iter_reference_provinces,
    iter_reference_wards,
    province_name,
    resolve_address,
    resolve_structured,
    ward_name,
)
from delivery.errors import AddressNotResolved, ValidationFailed

HANOI, HCMC, BAC_NINH = 1, 79, 24


def gso_code(name: str, province_code: int) -> int:
    """The official code of a new ward, straight from vietnam_provinces."""
    (code,) = [int(w.code) for w in Ward.iter_all()
               if w.name == name and int(w.province_code) == province_code]
    return code


def candidate_names(error: AddressNotResolved) -> set[str]:
    return {c["ward"]["name"] for c in error.candidates}


def test_it_resolves_a_new_two_tier_address_with_diacritics() -> None:
    found = resolve_address("25 Hàng Bài, Phường Hoàn Kiếm, Thành phố Hà Nội")
    assert (found.province_code, found.ward_code) == (HANOI, gso_code("Phường Hoàn Kiếm", HANOI))
    assert (found.street, found.legacy, found.confidence, found.candidates) == (
        "25 Hàng Bài", None, 1.0, [])


def test_it_resolves_a_new_two_tier_address_without_diacritics() -> None:
    found = resolve_address("25 hang bai, phuong hoan kiem, ha noi")
    assert found.ward_code == gso_code("Phường Hoàn Kiếm", HANOI)
    assert found.ward_name == "Phường Hoàn Kiếm" and 0.9 <= found.confidence < 1.0


def test_it_maps_the_contract_example_from_the_old_three_tier_form() -> None:
    found = resolve_address("Số 12 Lý Thái Tổ, Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội")
    assert (found.province_code, found.province_name) == (HANOI, "Thành phố Hà Nội")
    assert (found.ward_code, found.ward_name) == (
        gso_code("Phường Hoàn Kiếm", HANOI), "Phường Hoàn Kiếm")
    assert found.street == "Số 12 Lý Thái Tổ"
    assert found.legacy is not None and found.legacy.district == "Quận Hoàn Kiếm"
    assert found.legacy.ward == "Phường Lý Thái Tổ"


def test_it_follows_a_merged_province_binh_duong_into_ho_chi_minh_city() -> None:
    found = resolve_address("so 5 duong nguyen trai, phuong dong hoa, tp di an, binh duong")
    assert (found.province_code, found.ward_code) == (HCMC, gso_code("Phường Đông Hòa", HCMC))
    assert found.legacy is not None and found.legacy.province == "Tỉnh Bình Dương"


def test_it_offers_the_wards_of_the_old_district_when_the_ward_never_existed() -> None:
    # The mapping has no "Phường Đông An" in Dĩ An: Dĩ An's wards became Dĩ An,
    # Đông Hòa, Tân Đông Hiệp.
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("so 5 duong nguyen trai, phuong dong an, tp di an, binh duong")
    assert {c["province"]["code"] for c in caught.value.candidates} == {HCMC}
    assert "Phường Đông Hòa" in candidate_names(caught.value)


def test_it_follows_bac_giang_into_bac_ninh() -> None:
    found = resolve_address("12 Trần Phú, Phường Trần Phú, TP Bắc Giang, Bắc Giang")
    assert (found.province_code, found.ward_name) == (BAC_NINH, "Phường Bắc Giang")


def test_it_reads_abbreviated_units() -> None:
    found = resolve_address("12 Nguyễn Huệ, P. Bến Nghé, Q. 1, TP.HCM")
    assert (found.ward_code, found.street) == (gso_code("Phường Sài Gòn", HCMC), "12 Nguyễn Huệ")


def test_it_reads_numbered_wards_and_districts() -> None:
    found = resolve_address("45 Kỳ Đồng, P.05, Q.3, TP HCM")
    assert found.ward_code == gso_code("Phường Bàn Cờ", HCMC)
    assert (found.legacy is not None
            and (found.legacy.district, found.legacy.ward) == ("Quận 3", "Phường 5"))


def test_it_reads_an_address_written_without_commas() -> None:
    found = resolve_address("so 1 le loi phuong ben nghe quan 1 tphcm")
    assert (found.ward_code, found.street) == (gso_code("Phường Sài Gòn", HCMC), "so 1 le loi")


def test_it_keeps_a_ward_name_that_contains_a_dash() -> None:
    found = resolve_address("Văn Miếu - Quốc Tử Giám, HN")
    assert found.ward_name == "Phường Văn Miếu - Quốc Tử Giám"


def test_it_refuses_to_guess_a_split_old_ward() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("45 Kỳ Đồng, P.4, Q.3, TP HCM")
    assert candidate_names(caught.value) == {"Phường Bàn Cờ", "Phường Xuân Hòa"}
    assert caught.value.candidates[0]["province"] == {"code": HCMC, "name": "Thành phố Hồ Chí Minh"}


def test_it_names_the_former_ward_each_split_candidate_took_parts_of() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("45 Kỳ Đồng, P.4, Q.3, TP HCM")
    assert {c["former"]["ward"] + ", " + c["former"]["district"]
            for c in caught.value.candidates} == {"Phường 4, Quận 3"}


def test_it_refuses_when_old_mapping_and_a_same_named_new_ward_disagree() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("Phường Tân An, Quận Ninh Kiều, Cần Thơ")
    assert candidate_names(caught.value) == {"Phường Ninh Kiều", "Phường Tân An"}


def test_it_refuses_names_that_differ_only_by_diacritics_when_written_without() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("xa tan thanh, tay ninh")
    assert candidate_names(caught.value) == {"Xã Tân Thành", "Xã Tân Thạnh"}


def test_it_uses_diacritics_to_tell_such_names_apart() -> None:
    assert resolve_address("Xã Tân Thạnh, Tây Ninh").ward_name == "Xã Tân Thạnh"


def test_it_rejects_nonsense_without_candidates() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("asdf qwer zxcv")
    assert caught.value.candidates == [] and "province" in caught.value.detail


def test_it_rejects_an_empty_address() -> None:
    with pytest.raises(AddressNotResolved):
        resolve_address("  , ")


def test_it_suggests_similar_wards_when_the_ward_is_unknown() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("1 Lê Lợi, Phường Hoan Kiem Moi, Hà Nội")
    assert "Phường Hoàn Kiếm" in candidate_names(caught.value)
    assert (len(caught.value.candidates) <= 10
            and caught.value.errors == {"address": caught.value.detail})


def test_it_accepts_a_structured_address() -> None:
    code = gso_code("Phường Hoàn Kiếm", HANOI)
    found = resolve_structured(" 25 Hàng Bài ", code, HANOI)
    assert (found.ward_name, found.province_name, found.street, found.confidence) == (
        "Phường Hoàn Kiếm", "Thành phố Hà Nội", "25 Hàng Bài", 1.0)


def test_it_rejects_a_structured_ward_outside_its_province() -> None:
    with pytest.raises(ValidationFailed) as caught:
        resolve_structured("25 Hàng Bài", gso_code("Phường Hoàn Kiếm", HANOI), HCMC)
    assert set(caught.value.errors) == {"address.ward_code"}


def test_it_rejects_unknown_structured_codes() -> None:
    with pytest.raises(ValidationFailed) as caught:
        resolve_structured("x", 999_999, 999)
    assert set(caught.value.errors) == {"address.ward_code", "address.province_code"}


def test_it_names_codes() -> None:
    assert (ward_name(gso_code("Phường Hoàn Kiếm", HANOI)), province_name(HCMC)) == (
        "Phường Hoàn Kiếm", "Thành phố Hồ Chí Minh")


def test_it_lists_the_reference_units() -> None:
    provinces, wards = list(iter_reference_provinces()), list(iter_reference_wards())
    assert (len(provinces), len(wards)) == (34, 3321)
    assert {p.code for p in provinces} >= {w.province_code for w in wards}
    assert tuple(provinces[0]) == (HANOI, "Thành phố Hà Nội", HANOI)


def test_it_does_not_build_the_index_at_import() -> None:
    code = "import delivery.address.index as i; print(i.address_index.cache_info()[3])"
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "0"


def test_it_cuts_the_ward_and_district_out_of_an_address_without_commas() -> None:
    found = resolve_address("thon tan lap x. trung nghia huyen yen phong bac ninh")
    assert (found.province_code, found.ward_name, found.street) == (
        BAC_NINH, "Xã Yên Phong", "thon tan lap")


def test_it_reads_a_village_written_before_the_ward_without_a_comma() -> None:
    found = resolve_address("tổ 40, thôn 3 Xã Quảng Khê, Tỉnh Lâm Đồng")
    assert (found.ward_name, found.street) == ("Xã Quảng Khê", "tổ 40, thôn 3")


def test_it_never_reads_a_street_as_the_missing_ward() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("Số 5 Trần Phú Quận Hoàng Mai Hà Nội")
    assert "Phường Hoàng Mai" in candidate_names(caught.value)


def test_it_reads_ward_names_that_only_look_like_they_start_with_a_unit_word() -> None:
    assert resolve_address("tinh tuc, cao bang").ward_name == "Xã Tĩnh Túc"
    assert resolve_address("Số 1, Quản Bạ, Tuyên Quang").ward_name == "Xã Quản Bạ"
    assert resolve_address("quan thanh, ba dinh, ha noi").legacy.ward == "Phường Quán Thánh"


def test_it_does_not_take_the_end_of_a_district_name_for_a_unit_word() -> None:
    found = resolve_address("Số 141 Nguyễn Văn Cừ Thị trấn Nho Quan Huyện Nho Quan Ninh Bình")
    assert (found.ward_name, found.legacy.district) == ("Xã Nho Quan", "Huyện Nho Quan")


def test_it_reads_abbreviated_old_province_names() -> None:
    assert resolve_address("X. Bàu Lâm, H. Xuyên Mộc, BR-VT").ward_name == "Xã Bàu Lâm"
    assert resolve_address("Phú Hồ, TT-Huế").ward_name == "Xã Phú Hồ"


def run_fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter at the project root and return what it printed."""
    root = Path(__file__).resolve().parents[3]
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                          check=True).stdout


CACHED_RESOLVE = """
import sys
from delivery import address
address.use_cache_dir(sys.argv[1] if len(sys.argv) > 1 else {cache!r})
print(address.resolve_address("Phường Lý Thái Tổ, Quận Hoàn Kiếm, Hà Nội").ward_name)
print("built" if "vietnam_address_converter.data" in sys.modules else "loaded")
"""


def test_it_writes_the_index_to_the_cache_dir_and_a_fresh_process_loads_it(tmp_path: Path) -> None:
    code = CACHED_RESOLVE.format(cache=str(tmp_path))
    assert run_fresh(code).split() == ["Phường", "Hoàn", "Kiếm", "built"]
    assert [p.name for p in tmp_path.iterdir()] == [cache_file_name()]
    assert run_fresh(code).split() == ["Phường", "Hoàn", "Kiếm", "loaded"]


def test_it_rebuilds_a_broken_cache_file_and_drops_stale_ones(tmp_path: Path) -> None:
    (tmp_path / cache_file_name()).write_bytes(b"half a pickle")
    (tmp_path / "address-index-2020.1-0.1-000000000000.pickle").write_bytes(b"old")
    assert run_fresh(CACHED_RESOLVE.format(cache=str(tmp_path))).split()[-1] == "built"
    assert [p.name for p in tmp_path.iterdir()] == [cache_file_name()]
    assert run_fresh(CACHED_RESOLVE.format(cache=str(tmp_path))).split()[-1] == "loaded"


def test_it_tries_the_shortest_province_name_glued_at_the_end() -> None:
    assert resolve_address("ap Dong Xa Ho Do TP.Ha Tinh Ha Tinh").ward_name == "Phường Trần Phú"


def test_it_takes_a_name_without_tone_marks_as_written_when_the_rest_of_the_text_has_them() -> None:
    assert resolve_address("tổ 16, thôn Hạ, X. Thanh An, HCM").ward_name == "Xã Thanh An"
