# Two entry points do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test scenarios venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Start the emulator on 127.0.0.1:8085 with the seeded demo company (data in .intacct-mock/mock.db).
run: $(STAMP)
	$(VENV)/bin/intacct-mock serve $(ARGS)

## Run the whole test suite (slow load/soak tests excluded).
test: $(STAMP)
	$(PY) -m pytest -m "not slow" $(PYTEST_ARGS)

## Run the whole scenario library against an in-process emulator (JUnit report in .intacct-mock/).
scenarios: $(STAMP)
	mkdir -p .intacct-mock
	$(VENV)/bin/intacct-mock scenario run scenarios/library --junit .intacct-mock/scenarios-junit.xml $(ARGS)

clean:
	rm -rf $(VENV) .intacct-mock .pytest_cache
