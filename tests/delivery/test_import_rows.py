from delivery.import_rows import imported_rows, refused_rows


def test_it_reads_the_refused_rows_of_runs_kept_before_rows_were_named():
    (row,) = refused_rows('{"3": {"recipient.phone": "sai / wrong"}}')
    assert (row.number, row.dossier_code, row.errors) == (3, "", {"recipient.phone": "sai / wrong"})


def test_it_reads_the_notices_of_runs_kept_before_items_were_listed():
    assert imported_rows('{"2": "đã chuyển mã"}') == {2: {"notice": "đã chuyển mã"}}
