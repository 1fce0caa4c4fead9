"""The working calendar: Vietnam's public holidays (Tết 2026 and 2027 where the Government's
decisions put them), make-up working Saturdays, an agency's own days off (delivery.calendar)."""

from datetime import date, timedelta

from delivery.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    public_holidays,
    save_calendar_day,
)
from delivery.models import Agency


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_it_skips_the_holidays_inside_a_period():
    # Tue 28/4/2026 + 3: Wed 29 counts, Thu 30/4 and Fri 1/5 are holidays, then the weekend
    assert WorkingCalendar().add_working_days(date(2026, 4, 28), 3) == date(2026, 5, 5)


def test_it_gives_tet_2026_the_official_days_off_14_to_22_february():
    # Decision approved 14/10/2025: Saturday 14/2 (27 tháng Chạp) to Sunday 22/2/2026 (mùng 6)
    calendar = WorkingCalendar()
    assert not any(calendar.is_working_day(d) for d in days(date(2026, 2, 14), date(2026, 2, 22)))
    assert calendar.is_working_day(date(2026, 2, 13)) and calendar.is_working_day(date(2026, 2, 23))


def test_it_puts_tet_2027_on_saturday_6_february():
    assert date(2027, 2, 6) in public_holidays(2027)  # mùng 1 Tết Đinh Mùi


def test_it_gives_tet_2027_the_days_off_4_to_10_february():
    calendar = WorkingCalendar()
    assert not any(calendar.is_working_day(d) for d in days(date(2027, 2, 4), date(2027, 2, 10)))
    assert calendar.is_working_day(date(2027, 2, 3)) and calendar.is_working_day(date(2027, 2, 11))


def test_it_works_the_make_up_saturday_of_the_2026_national_day_swap():
    calendar = WorkingCalendar()
    assert calendar.is_working_day(date(2026, 8, 22))  # worked for Monday 31/8, a day off
    assert not calendar.is_working_day(date(2026, 8, 31))


def test_it_counts_no_weekend_day():
    assert WorkingCalendar().add_working_days(date(2026, 11, 27), 1) == date(2026, 11, 30)


def test_it_keeps_an_agencys_own_day_off_to_that_agency(session, agency):
    other = Agency(code="000.00.01.H29", name="TP. Hồ Chí Minh")
    session.add(other)
    monday = date(2026, 3, 9)
    save_calendar_day(session, agency, monday, False, "Kiểm kê / stocktaking")
    assert not is_working_day(session, monday, agency)
    assert is_working_day(session, monday, other) and is_working_day(session, monday, None)


def test_it_counts_an_agencys_make_up_saturday(session, agency):
    saturday = date(2026, 3, 14)
    save_calendar_day(session, agency, saturday, True, "Làm bù / make-up day")
    assert add_working_days(session, date(2026, 3, 13), 1, agency) == saturday


def test_it_lets_a_nationwide_entry_change_every_agencys_calendar(session, agency):
    save_calendar_day(session, None, date(2027, 2, 3), False, "Quyết định Tết 2027")
    assert not is_working_day(session, date(2027, 2, 3), agency)


def test_it_lets_the_agencys_entry_win_over_a_nationwide_one(session, agency):
    day = date(2026, 3, 10)
    save_calendar_day(session, None, day, False)
    save_calendar_day(session, agency, day, True)
    assert is_working_day(session, day, agency) and not is_working_day(session, day, None)


def test_it_changes_nothing_when_the_same_entry_comes_again(session, agency):
    save_calendar_day(session, agency, date(2026, 3, 9), False, "nghỉ")
    assert save_calendar_day(session, agency, date(2026, 3, 9), False, " nghỉ ")[1] is False
