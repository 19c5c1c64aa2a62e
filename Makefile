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

.PHONY: demo test lint bench install clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: install
ifdef CLEARANCE_LIST_DIR
	@echo "== an older UN list version, to show what an update changes"
	$(CLEARANCE) lists load un $(CLEARANCE_LIST_DIR)/un/UN_consolidated_2025-11-20.xml
endif
	@echo "== every official list, newest version"
	$(CLEARANCE) lists update
	$(CLEARANCE) lists status
	@echo "== what changed in the UN list"
	$(CLEARANCE) lists diff un
	@echo "== one real entry"
	$(CLEARANCE) lists show ofac-sdn:9760

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/load_lists.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
