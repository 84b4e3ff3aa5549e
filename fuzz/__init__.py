"""Fuzzing the gateway: mutated real requests in, always a well-formed Intacct answer out."""
