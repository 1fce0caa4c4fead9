"""Benchmarks and evaluation sets that print tables (not tests); importable so tests can run a
scorer."""
