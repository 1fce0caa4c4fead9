"""Addresses as people really write them (issue 20): English-style, without the province, and with
a typo in the ward's name, which is corrected only with a confidence below the confident threshold
and a note of the correction."""

from __future__ import annotations

import pytest

from delivery.address import resolve_address
from delivery.address.resolved import CONFIDENT, Correction
from delivery.errors import AddressNotResolved

HCMC, SON_LA = 79, 14


def candidate_names(error: AddressNotResolved) -> list[str]:
    return [c["ward"]["name"] for c in error.candidates]


def test_it_reads_the_english_style_example_of_the_issue() -> None:
    found = resolve_address(
        "45 Nguyen Hue Street, Ben Nghe Ward, District 1, Ho Chi Minh City, Vietnam")
    assert (found.province_code, found.ward_name, found.street) == (
        HCMC, "Phường Sài Gòn", "45 Nguyen Hue Street")
    assert found.legacy is not None and found.legacy.ward == "Phường Bến Nghé"
    assert found.confidence >= CONFIDENT and found.corrections == ()


@pytest.mark.parametrize("ward", ["Ward 13", "13 Ward"])
def test_it_reads_a_numbered_english_ward_with_the_number_before_or_after(ward: str) -> None:
    found = resolve_address(f"12 Tran Phu, {ward}, District 10, HCMC")
    assert found.ward_name == "Phường Hòa Hưng"
    assert found.legacy is not None and found.legacy.ward == "Phường 13"


def test_it_reads_hanoi_written_as_one_english_word_and_the_unit_word_after_the_name() -> None:
    assert resolve_address("1 Hang Bai, Hoan Kiem Ward, Hanoi").ward_name == "Phường Hoàn Kiếm"


def test_it_reads_an_english_commune_and_province() -> None:
    found = resolve_address("Pac Nga Commune, Son La Province, Viet Nam")
    assert (found.province_code, found.ward_name) == (SON_LA, "Xã Pắc Ngà")


def test_it_reads_vietnamese_unit_words_in_capitals() -> None:
    assert resolve_address("PHƯỜNG BẾN NGHÉ, QUẬN 1, TP HCM").ward_name == "Phường Sài Gòn"


def test_it_infers_the_province_when_the_old_district_and_ward_are_unique_in_the_country(
) -> None:
    found = resolve_address("Số 3 Lê Lợi, Phường Bến Nghé, Quận 1")
    assert (found.province_code, found.ward_name, found.street) == (
        HCMC, "Phường Sài Gòn", "Số 3 Lê Lợi")
    assert found.confidence == 0.85


def test_it_infers_the_province_from_a_new_ward_name_unique_in_the_country() -> None:
    assert resolve_address("Số 3 Lê Lợi, Xã Pắc Ngà").province_code == SON_LA


def test_it_offers_candidates_in_every_province_when_the_ward_name_is_not_unique() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("Số 3, Xã Tân Thành")
    provinces = {c["province"]["code"] for c in caught.value.candidates}
    assert len(provinces) >= 5 and "Xã Tân Thành" in candidate_names(caught.value)


def test_it_takes_a_district_name_at_the_end_for_a_district_not_a_glued_province() -> None:
    # "Thạnh Hóa" folds to the province Thanh Hóa; as a whole the part is an old district of Long An
    found = resolve_address("127 Nguyễn Trãi, Thị trấn Thạnh Hóa, Huyện Thạnh Hóa")
    assert found.ward_name == "Xã Thạnh Hóa" and found.province_name == "Tây Ninh"


@pytest.mark.parametrize(("typo", "kind"), [
    ("Bến Nghée", "insertion"), ("Bến Ngé", "deletion"), ("Bến Nghá", "substitution"),
    ("Bến Nhgé", "transposition")])
def test_it_corrects_one_letter_in_an_old_ward_below_the_confident_threshold(typo: str,
                                                                            kind: str) -> None:
    found = resolve_address(f"12 Lê Lợi, Phường {typo}, Quận 1, TP HCM")
    assert found.ward_name == "Phường Sài Gòn" and found.confidence < CONFIDENT, kind
    assert found.corrections == (Correction(f"Phường {typo}", "Phường Bến Nghé"),)


def test_it_corrects_one_letter_in_a_new_ward_name_of_the_issue() -> None:
    found = resolve_address("Xã Pắc Nà, Sơn La")
    assert found.ward_name == "Xã Pắc Ngà" and found.confidence < CONFIDENT
    assert found.corrections == (Correction("Xã Pắc Nà", "Xã Pắc Ngà"),)


@pytest.mark.parametrize("written", ["Hoàn Kiểm", "Hoàn Kiêm", "Hoan Kiem"])
def test_it_corrects_a_wrong_or_missing_tone_mark_in_a_text_with_diacritics(written: str) -> None:
    found = resolve_address(f"25 Hàng Bài, Phường {written}, Thành phố Hà Nội")
    assert found.ward_name == "Phường Hoàn Kiếm" and found.confidence < CONFIDENT
    assert found.corrections == (Correction(f"Phường {written}", "Phường Hoàn Kiếm"),)


def test_it_corrects_nothing_in_a_text_written_without_diacritics() -> None:
    found = resolve_address("25 hang bai, phuong hoan kiem, ha noi")
    assert found.corrections == () and found.confidence >= CONFIDENT


def test_it_offers_ranked_candidates_when_a_typo_is_one_letter_from_two_wards() -> None:
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("Xã Mường Hà, Điện Biên")  # Mường Chà and Mường Nhà, one letter each
    assert candidate_names(caught.value)[:2] == ["Xã Mường Chà", "Xã Mường Nhà"]
    assert len(caught.value.candidates) > 2  # then the merely similar ones


def test_it_never_corrects_the_number_of_a_numbered_ward() -> None:
    with pytest.raises(AddressNotResolved):  # Quận 10 had Phường 1 to 15
        resolve_address("12 Lê Lợi, Phường 16, Quận 10, TP HCM")


def test_it_reads_an_old_city_named_like_its_province_as_the_city_when_the_province_is_left_out(
) -> None:
    found = resolve_address("ấp 7, Xã Đông Tiến, Thành phố Thanh Hóa")
    assert found.ward_name == "Phường Đông Tiến" and found.corrections == ()
    assert found.legacy is not None and found.legacy.district == "Thành phố Thanh Hóa"


def test_it_reads_an_english_unit_word_after_a_name_that_starts_like_a_vietnamese_one() -> None:
    found = resolve_address("Phuong Thinh Commune, Dong Thap Province, Vietnam")
    assert found.ward_name == "Xã Phương Thịnh"


def test_it_refuses_a_ward_of_a_city_named_like_its_province_that_may_be_either_ward() -> None:
    # Thanh Hóa is a "Tỉnh": "Thành phố Thanh Hóa" is the old city, whose Phường Đông Sơn became
    # Phường Hạc Thành, while the province has a new Phường Đông Sơn too
    with pytest.raises(AddressNotResolved) as caught:
        resolve_address("tổ 25, Phường Đông Sơn, Thành phố Thanh Hóa")
    assert set(candidate_names(caught.value)) == {"Phường Hạc Thành", "Phường Đông Sơn"}


def test_it_looks_for_a_province_less_district_where_one_of_the_kind_written_was() -> None:
    # Quận Tân Phú was in Hồ Chí Minh City; Đồng Nai had a Huyện Tân Phú
    found = resolve_address("Hẻm 137 Lý Thường Kiệt, Phường Phú Trung, Quận Tân Phú")
    assert (found.province_code, found.ward_name) == (HCMC, "Phường Tân Phú")
