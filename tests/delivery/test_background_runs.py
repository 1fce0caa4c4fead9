"""delivery.background_runs: a run is claimed by one job, and found again when its job is lost."""

from datetime import timedelta

import pytest

from delivery.background_runs import MAX_ATTEMPTS, claim_run, give_up, lost_runs
from delivery.importing import ImportRun, start_import
from delivery.models import utcnow
from tests.delivery.test_importing import GOOD, csv_bytes


@pytest.fixture
def run(session, agency) -> ImportRun:
    run = start_import(session, agency, "ketqua.csv", csv_bytes(*GOOD), "user:1")
    session.commit()
    return run


def later(**delta) -> object:
    return utcnow() + timedelta(**delta)


def test_it_lets_one_job_of_two_claim_a_run(session, run):
    assert [claim_run(session, ImportRun, run.id), claim_run(session, ImportRun, run.id)] == [
        True, False]


def test_it_lets_a_job_claim_a_run_whose_job_stopped_beating(session, run):
    claim_run(session, ImportRun, run.id)
    session.commit()
    assert claim_run(session, ImportRun, run.id, now=later(minutes=6))


def test_it_leaves_a_run_whose_job_is_beating_to_that_job(session, run):
    claim_run(session, ImportRun, run.id)
    session.commit()
    assert not claim_run(session, ImportRun, run.id, now=later(minutes=4))


def test_it_starts_a_run_at_most_three_times(session, run):
    claims = [claim_run(session, ImportRun, run.id, now=later(minutes=6 * n)) for n in range(4)]
    assert claims == [True] * MAX_ATTEMPTS + [False]


def test_it_finds_a_run_still_queued_after_the_grace(session, run):
    assert (lost_runs(session, ImportRun, now=later(seconds=5)),
            lost_runs(session, ImportRun, now=later(seconds=11))) == ([], [(run.id, 0)])


def test_it_finds_a_running_run_without_a_heartbeat(session, run):
    claim_run(session, ImportRun, run.id)
    session.commit()
    assert (lost_runs(session, ImportRun, now=later(minutes=4)),
            lost_runs(session, ImportRun, now=later(minutes=6))) == ([], [(run.id, 1)])


def test_it_leaves_ended_runs_alone(session, run):
    session.get(ImportRun, run.id).end("done")
    session.commit()
    assert lost_runs(session, ImportRun, now=later(days=1)) == []


def test_it_gives_up_a_run_saying_why_and_forgets_its_file(session, run):
    give_up(session, ImportRun, run.id, MAX_ATTEMPTS)
    session.commit()
    session.refresh(run)
    assert (run.state, run.content) == ("failed", None) and "3 times" in run.error
