"""``make bench``: throughput ratios against a canned-answer ceiling, latency, scale and cost split."""
