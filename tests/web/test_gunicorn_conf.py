"""The web process's gunicorn settings (web/gunicorn_conf.py)."""

import gc

from web import gunicorn_conf


def test_it_freezes_what_a_worker_has_loaded():
    try:
        gunicorn_conf.post_worker_init(None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_it_is_what_the_procfile_starts(repo_root):
    web = next(line for line in (repo_root / "Procfile").read_text().splitlines()
               if line.startswith("web:"))
    assert "-c python:web.gunicorn_conf" in web
