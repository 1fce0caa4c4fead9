import unicodedata

import pytest

from delivery.recipient import mask_name, national_id_last4, normalise_phone, phone_e164


@pytest.mark.parametrize("raw", ["0912345678", "+84912345678", "84912345678", "0912.345.678",
                                 "+84 912 345 678"])
def test_it_normalises_mobile_numbers_to_national_form(raw):
    assert normalise_phone(raw) == "0912345678"


@pytest.mark.parametrize("raw", ["", "091234567", "02438123456", "0123456789", "abc",
                                 "+1 415 555 0100"])
def test_it_refuses_what_is_not_a_vietnamese_mobile(raw):
    assert normalise_phone(raw) is None


def test_it_writes_e164_for_sms_gateways():
    assert phone_e164("0912345678") == "+84912345678"


def test_it_keeps_only_the_last_four_id_digits():
    assert national_id_last4("001085012345") == "2345"
    assert national_id_last4("12345") is None


@pytest.mark.parametrize("name, masked", [("Nguyễn Văn An", "N*** V** A"),
                                          ("Lê Thị Hồng Nhung", "L* T** H*** N"),
                                          ("Bảo", "B***"), ("", "")])
def test_it_masks_names_showing_initials_only(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("name, masked", [("Vũ Văn An", "V* V** A"), ("Ưng Thị Hoa", "Ư** T** H"),
                                          ("Đặng Ưng", "Đ*** Ư"), ("Ưng", "Ư***")])
def test_it_masks_nfd_names_by_letters_keeping_the_initials_marks(name, masked):
    assert mask_name(unicodedata.normalize("NFD", name)) == masked


def test_it_folds_names_for_searching():
    from delivery.recipient import fold_name

    assert fold_name("  Đặng Thị  Ánh ") == "dang thi anh"
