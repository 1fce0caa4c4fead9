"""gunicorn settings for the web process: `gunicorn -c python:web.gunicorn_conf ...` (the Procfile, and the
benchmarks for every app they compare, so the settings stay the same). Command-line options still win."""

import gc


def post_worker_init(worker):  # noqa: ANN001, ARG001 (gunicorn's hook signature)
    """The app has just been loaded in this worker: freeze what exists now (modules, SQLAlchemy
    metadata, compiled templates, address indexes), which lives as long as the process. A full
    garbage collection then no longer walks it: unfrozen, each one stopped every thread of the
    worker for a while (bench/README.md)."""
    gc.freeze()
