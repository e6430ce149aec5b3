"""Delivering stored leads to partner dive shops: sinks and the outbox worker."""
