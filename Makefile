# The whole set-up: `make demo` runs real screening, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CLEARANCE := $(BIN)/clearance
SHARED_LISTS := $(abspath ../shared/data/lists)

# Offline here: read the local mirror of the official lists when it exists.
ifneq ($(wildcard $(SHARED_LISTS)/latest.json),)
export CLEARANCE_LIST_DIR ?= $(SHARED_LISTS)
endif

.PHONY: demo test lint bench install clean postgresql java chromium

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
ifdef CLEARANCE_LIST_DIR
	@echo "== an older UN list version (on a first run), to show what an update changes"
	$(CLEARANCE) lists snapshots un --json 2>/dev/null | grep -q '"id"' || \
	  $(CLEARANCE) lists load un $(CLEARANCE_LIST_DIR)/un/UN_consolidated_2025-11-20.xml
endif
	@echo "== every official list, newest version"
	$(CLEARANCE) lists update
	$(CLEARANCE) lists status
	@echo "== what changed in the UN list"
	$(CLEARANCE) lists diff un
	@echo "== one real entry"
	$(CLEARANCE) lists show ofac-sdn:9760
	@echo "== screening real names against every list"
	$(CLEARANCE) screen "Лукашенко Александр Григорьевич" --limit 3
	$(CLEARANCE) screen "Dmitry Medvedev" --dob 1965-09-14 --limit 3
	$(CLEARANCE) screen "Vladimir Pugin"
ifdef CLEARANCE_LIST_DIR
	@echo "== listed parties named in a real news article"
	$(CLEARANCE) screen-text $(CLEARANCE_LIST_DIR)/../text/news-russia-weapons-sanctions-2023-02.txt
endif
	@echo "== a shipment: integrated circuits and a thermal camera for an Iranian drone maker"
	$(CLEARANCE) screen-shipment examples/shipment.json

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

# yente pins its own FastAPI and nomenklatura: its models, which check the yente-compatible API, live apart.
$(VENV)-yente/.installed:
	$(PYTHON) -m venv $(VENV)-yente && $(VENV)-yente/bin/pip install --quiet yente==5.5.0 requests
	touch $@

# The case tests run on PostgreSQL too: each test process starts a throwaway cluster of Debian's package
# (tests/cases/conftest.py). Installed here when absent; initdb refuses root, so the tests run it as `postgres`.
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; }

# The Spark engine's tests run Spark in local mode, which needs a Java runtime (PySpark 4 wants Java 17 or later).
java:
	@command -v java >/dev/null 2>&1 || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless; }

# The review page's browser tests drive Debian's Chromium through Playwright (no browser download).
chromium:
	@test -x /usr/bin/chromium || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; }

# One worker per core (at most 4), a test file per worker: its module fixtures are built once.
test: lint postgresql java chromium $(VENV)-yente/.installed
	$(BIN)/pytest -n auto --maxprocesses 4 --dist loadfile

bench: install
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/load_lists.py
	$(BIN)/python bench/party_screening.py --limit-queries 2000
	$(BIN)/python bench/transliteration.py
	$(BIN)/python bench/text_screening.py
	$(BIN)/python bench/payment_screening.py
	$(BIN)/python bench/shipments.py
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/audit_verify.py --records 1000000

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
