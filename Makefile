# The two commands of the quick start: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
NEO4J := scripts/neo4j-local/neo4j-local

.PHONY: demo test bench neo4j-start neo4j-stop lint clean translations manual

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

## demo: the embedded store, loaded with the Yunnan seed scenario, served on 127.0.0.1:5000.
## No shared default accounts: each demo account gets a generated password, printed once, that
## must be changed at first sign-in (a forgotten one: collab user passwd NAME prints a one-time
## code); the admin accounts then set up two-factor sign-in (TOTP) before anything else.
## A deployment asks two-factor sign-in of every role; the demo narrows it to the three admin
## roles (COLLAB_2FA_ROLES below) and says so.
DEMO_2FA_ROLES := system_admin,security_admin,audit_admin
DEMO_ACCOUNTS := demo.coordinator:coordinator:530000: demo.leader:leader:530000: \
	demo.liaison:liaison::D530600-JW demo.sysadmin:system_admin:: \
	demo.security:security_admin:: demo.auditor:audit_admin::
DEMO_PORT ?= 5000
demo: $(VENV)/.installed
	$(BIN)/collab init
	$(BIN)/collab seed yunnan
	$(BIN)/collab status
	@echo "Demo accounts (write the passwords down: they are shown once):"
	@for spec in $(DEMO_ACCOUNTS); do \
		( IFS=:; set -- $$spec; IFS=" "; \
		$(BIN)/collab user add "$$1" --role "$$2" $${3:+--region $$3} $${4:+--department $$4} \
			--display-name "$$1" --generate \
		|| echo "  (a one-time code for $$1: $(BIN)/collab user passwd $$1)" ); \
	done
	@echo "Sign in at http://127.0.0.1:$(DEMO_PORT)/ with an account above, then choose a new password."
	@echo "The admin accounts (demo.sysadmin, demo.security, demo.auditor) then set up two-factor"
	@echo "sign-in: scan the QR code with an authenticator app (FreeOTP, Google or Microsoft"
	@echo "Authenticator) and enter its code; from then on sign-in asks for the current code."
	@echo "DEMO ONLY: two-factor sign-in is narrowed to the admin roles (COLLAB_2FA_ROLES=$(DEMO_2FA_ROLES));"
	@echo "a deployment leaves COLLAB_2FA_ROLES unset, and every role sets it up at first sign-in."
	@echo "Keys are in keys/ (back that folder up apart from var/)."
	COLLAB_2FA_ROLES=$(DEMO_2FA_ROLES) $(BIN)/collab serve --host 127.0.0.1 --port $(DEMO_PORT)

## test: the whole suite on both engines, against a Neo4j the suite starts and stops, in
## TEST_WORKERS processes (pytest-xdist): the tests on the shared Neo4j database in one of
## them, in turn; the rest a module at a time on whichever is free
TEST_WORKERS ?= 2
test: $(VENV)/.installed-test
	@uri=$$($(NEO4J) start | tail -n 1) || { echo "WARNING: Neo4j did not start; the Neo4j half will skip (or fail under CI=true)"; uri=""; }; \
	if [ -n "$$uri" ]; then export COLLAB_TEST_NEO4J_URI="$$uri"; fi; \
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup; rc=$$?; \
	$(NEO4J) stop >/dev/null 2>&1 || true; \
	exit $$rc

## bench: the harness on both engines at county and province scale (graphs kept under
## bench/data/ between runs: each read against its hand-written limit, ingest, analysis), the
## web under load on both engines (people at work at province scale, saturation at county),
## the supervision models at province scale (run time, recall, precision), then
## docs/BENCHMARKS.md regenerated from bench/results/. Run on demand, never in `make test`;
## each starts its own Neo4j. The 1,000-node explorer: python -m bench.browser
BENCH_SCALES ?= county province
bench: $(VENV)/.installed-bench
	for engine in sqlite neo4j; do for scale in $(BENCH_SCALES); do \
		$(BIN)/python -m bench --engine $$engine --scale $$scale || exit 1; done; done
	$(BIN)/python -m bench.load --engine both
	$(BIN)/python -m bench --write-docs
	$(BIN)/python -m bench.models --engine both --scale province --write-docs

## translations: extract the app's strings, merge them into the Chinese catalogue, compile it
translations: $(VENV)/.installed-test
	$(BIN)/pybabel extract -F collab/web/babel.cfg -k _l -k lazy_gettext -k N_ --no-location \
		-o var/messages.pot collab
	$(BIN)/pybabel update -i var/messages.pot -d collab/web/translations -l zh -w 100
	$(BIN)/pybabel compile -d collab/web/translations -l zh

## manual: the user manual's screenshots (docs/manual/img/), taken again in chromium on the seed
## scenario by the tasks in tests/web/test_manual.py, so the pictures never drift from the pages
manual: $(VENV)/.installed-test
	rm -f docs/manual/img/*.png
	COLLAB_MANUAL_SHOTS=docs/manual/img $(BIN)/pytest -q -p no:cacheprovider tests/web/test_manual.py

neo4j-start:
	$(NEO4J) start

neo4j-stop:
	$(NEO4J) stop

## lint: ruff over everything; mypy over collab (strict on the commands, the services and the
## store port: pyproject.toml's [tool.mypy])
lint: $(VENV)/.installed-test
	$(BIN)/ruff check collab tests bench seeds
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var .pytest_cache
