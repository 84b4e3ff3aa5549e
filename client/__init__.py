"""Reference Intacct client (issue 4): envelopes, retries, reconciliation, exporter."""
