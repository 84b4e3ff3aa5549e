"""Locust suites that behave like the integrations in the field, and the ledger check run after them."""
