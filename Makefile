# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NEO4J := scripts/neo4j-local/neo4j-local

.PHONY: demo test bench neo4j-start neo4j-stop lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

## demo: the embedded store, initialised and loaded with the Yunnan seed scenario
demo: $(VENV)/.installed
	$(BIN)/collab init
	$(BIN)/collab seed yunnan
	$(BIN)/collab status

## test: the whole suite on both engines, against a Neo4j the suite starts and stops
test: $(VENV)/.installed-test
	@uri=$$($(NEO4J) start | tail -n 1) || { echo "WARNING: Neo4j did not start; the Neo4j half will skip (or fail under CI=true)"; uri=""; }; \
	if [ -n "$$uri" ]; then export COLLAB_TEST_NEO4J_URI="$$uri"; fi; \
	$(BIN)/pytest; rc=$$?; \
	$(NEO4J) stop >/dev/null 2>&1 || true; \
	exit $$rc

## bench: ingest figures on both engines (run on demand, never in `make test`)
bench: $(VENV)/.installed-test
	@uri=$$($(NEO4J) start | tail -n 1); \
	COLLAB_NEO4J_URI="$$uri" COLLAB_NEO4J_PASSWORD=collab-test-pw $(BIN)/python -m bench.ingest; rc=$$?; \
	$(NEO4J) stop >/dev/null 2>&1 || true; exit $$rc

neo4j-start:
	$(NEO4J) start

neo4j-stop:
	$(NEO4J) stop

lint: $(VENV)/.installed-test
	$(BIN)/ruff check collab tests bench seeds

clean:
	rm -rf $(VENV) var .pytest_cache
