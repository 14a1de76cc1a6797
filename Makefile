# Two commands on a fresh machine: `make run` then `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= veille.duckdb

.PHONY: run test install eval bench clean

$(BIN)/veille: pyproject.toml requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock -r requirements-dev.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(BIN)/veille

install: $(BIN)/veille

run: install
	$(BIN)/veille run examples/ --db $(DB)
	$(BIN)/veille events --db $(DB)

test: install
	$(BIN)/python -m pytest -q tests

eval: install
	$(BIN)/veille eval ../shared/eval/seed ../shared/eval/winer_events

bench: install
	$(BIN)/veille bench --json

clean:
	rm -rf $(VENV) *.egg-info $(DB)
