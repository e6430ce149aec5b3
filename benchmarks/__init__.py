"""Benchmarks that print figures. Speed targets are measured here, never in timed tests."""
