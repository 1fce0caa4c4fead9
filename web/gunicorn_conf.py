"""gunicorn settings for the web process: `gunicorn -c python:web.gunicorn_conf ...` (the Procfile,
and the benchmarks for every app they compare, so the settings stay the same). Command-line options
still win."""

import gc

# Each worker listens on a socket of its own (SO_REUSEPORT, gunicorn >= 24): the kernel hands
# each new connection to one of them by a hash of its addresses. On the one socket the master
# would otherwise share, a burst of connections goes to whichever worker wakes first, whose
# accept loop takes them all before the other is scheduled, and a keep-alive connection stays
# with its worker. 16 connections opened at once (a load balancer's or a polling client's pool;
# wrk) landed 16/0 or 15/1 in about a quarter of trials; one process then served them all on one
# core (the GIL) while the other idled, and the public tracking JSON fell to 25-44 % of
# hello-world in such rounds (bench/README.md, "Public tracking, session 7"). The price: a
# connection that reaches a worker's socket after the worker stops accepting (restart, timeout)
# is reset when it exits, where the shared socket would have given it to another worker.
reuse_port = True


def post_worker_init(worker):  # noqa: ANN001, ARG001 (gunicorn's hook signature)
    """The app has just been loaded in this worker: freeze what exists now (modules, SQLAlchemy
    metadata, compiled templates, address indexes), which lives as long as the process. A full
    garbage collection then no longer walks it: unfrozen, each one stopped every thread of the
    worker for a while (bench/README.md)."""
    gc.freeze()
