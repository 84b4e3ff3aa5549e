# Two entry points do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test wheel-check js-sdk scenarios load load-ui load-distributed bench fuzz soak e2e venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## The official JavaScript SDK (pinned in tests/contract/js/package-lock.json) for its contract tests.
JS_DIR   := tests/contract/js
JS_STAMP := $(JS_DIR)/node_modules/.installed-stamp

$(JS_STAMP): $(JS_DIR)/package.json $(JS_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix $(JS_DIR) --no-audit --no-fund --loglevel=error && touch $(JS_STAMP); \
	else \
	  echo "npm not found: the official JavaScript SDK contract tests will be skipped (install Node.js and npm)"; \
	fi

js-sdk: $(JS_STAMP)

## Start the emulator on 127.0.0.1:8085 with the seeded demo company (data in .intacct-mock/mock.db).
run: $(STAMP)
	$(VENV)/bin/intacct-mock serve $(ARGS)

## Run the whole test suite (slow load/soak tests excluded).
test: $(STAMP) $(JS_STAMP)
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

## Build the wheel, install it into an empty venv and use it from outside the clone (also part of make test).
wheel-check: $(STAMP)
	$(PY) -m pytest -q tests/packaging $(PYTEST_ARGS)

## Run the whole scenario library against an in-process emulator (JUnit report in .intacct-mock/).
scenarios: $(STAMP)
	mkdir -p .intacct-mock
	$(VENV)/bin/intacct-mock scenario run scenarios/library --junit .intacct-mock/scenarios-junit.xml $(ARGS)

## Locust headless against an emulator it starts, without then with the fault profile; ledger check after each.
load: $(STAMP)
	$(PY) -m intacct_mock.loadtests.run --profile none --duration $(or $(DURATION),45s)
	$(PY) -m intacct_mock.loadtests.run --profile mixed --duration $(or $(DURATION),45s)

## The same load with Locust's web UI on http://127.0.0.1:8089 (PROFILE=mixed for faults).
load-ui: $(STAMP)
	$(PY) -m intacct_mock.loadtests.run --ui --profile $(or $(PROFILE),none)

## One Locust master and two workers on this machine (the way past one Locust process).
load-distributed: $(STAMP)
	$(PY) -m intacct_mock.loadtests.run --distributed 2 --profile $(or $(PROFILE),mixed) --duration $(or $(DURATION),45s)

## Throughput ratios vs a canned-answer ceiling, latency, page time by size, cost split -> docs/performance.md.
## About 5 minutes; BENCH_ARGS="--sizes 1000,100000" skips the 1M-record step. Needs wrk (apt-get install -y wrk).
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "wrk not found: installing it with apt-get install -y wrk"; \
	    apt-get install -y wrk >/dev/null || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }; \
	  else \
	    echo "make bench needs wrk: sudo apt-get install -y wrk (Debian/Ubuntu), brew install wrk (macOS)" >&2; exit 2; \
	  fi; }
	$(PY) -m intacct_mock.loadtests.bench.run $(BENCH_ARGS)

## Fuzz the gateway: 100,000 mutated real requests over 2 processes, then the HTTP slice (corpus requests framed
## right and wrong over raw sockets) against the threaded server and `serve --workers 2`; failing inputs saved to
## .intacct-mock/fuzz-failures/.
fuzz: $(STAMP)
	$(PY) -m intacct_mock.fuzz.run --requests $(or $(REQUESTS),100000)
	$(PY) -m intacct_mock.fuzz.run --wire --exchanges $(or $(EXCHANGES),190)
	$(PY) -m intacct_mock.fuzz.run --wire --exchanges $(or $(EXCHANGES),190) --workers 2

## An hour of load with the fault profile, watching the emulator's memory and descriptors (SOAK_MINUTES=...).
soak: $(STAMP)
	$(PY) -m intacct_mock.loadtests.soak --minutes $(or $(SOAK_MINUTES),60)

## Browser tests of the inspector: Playwright (pip) driving Debian's chromium (apt; never `playwright install`).
e2e: $(STAMP)
	$(PY) -m pip install --quiet playwright
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y chromium >/dev/null || { apt-get update >/dev/null && apt-get install -y chromium >/dev/null; }; \
	  else echo "make e2e needs Debian's chromium: sudo apt-get install -y chromium" >&2; exit 2; fi; }
	$(PY) -m pytest tests/e2e -m e2e -q

clean:
	rm -rf $(VENV) .intacct-mock .pytest_cache $(JS_DIR)/node_modules
