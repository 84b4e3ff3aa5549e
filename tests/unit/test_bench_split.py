"""The cost split's instrumentation patches named seams of the pipeline; when one of them is renamed
``make bench`` breaks after its long throughput rounds. This runs the split on a few requests so a
rename fails here, in seconds, and checks the buckets it reports are filled."""

from __future__ import annotations

import argparse

from intacct_mock.loadtests.bench.costs import BUCKETS, cost_split


def test_cost_split_runs_and_fills_its_buckets(tmp_path):
    out = cost_split(argparse.Namespace(split_reps=60), tmp_path)
    for workload in ("create", "readByQuery"):
        figures = out[workload]
        assert figures["statements"] > 0
        assert figures["plain_us"] > 0
        split = figures["split_us"]
        assert set(BUCKETS) <= set(split)
        for bucket in ("parse", "auth", "store", "render"):
            assert split[bucket] > 0, (workload, bucket, split)
        assert figures["top"], "the profile lists the functions that dominate"
    assert out["create"]["split_us"]["rules"] > 0
