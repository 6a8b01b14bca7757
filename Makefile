# Each target creates .venv on first use and is safe to run again.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck lab conformance browser bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,host,releases]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m actionkit.cli.demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -m "not conformance and not browser"
	$(BIN)/python -m pytest -q --nbval --nbval-current-env --nbval-sanitize-with actionkit/nbval_sanitize.cfg notebooks/
	$(BIN)/ruff check actionkit tests benchmarks
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check actionkit tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

# Compares actionkit with the real open-webui 0.12.4 and lists what 0.8.12 and 0.10.2 do differently
# (RELEASES=0.9.6,0.11.4 or RELEASES=all for others). The releases are installed on first use into
# $$ACTIONKIT_RELEASES (default ~/.cache/actionkit/open-webui): ~3 GB for the first, ~200 MB for each other.
conformance: $(STAMP)
	$(if $(RELEASES),ACTIONKIT_CONFORMANCE_RELEASES=$(RELEASES)) $(BIN)/python -m pytest -m conformance tests/conformance -q

# JupyterLab in headless Debian chromium (installs chromium and an emoji font with apt when missing; needs root).
browser: $(STAMP)
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	fc-list | grep -qi "Noto Color Emoji" || apt-get install -y -q fonts-noto-color-emoji  # functions' emoji
	$(BIN)/python -m pip install -q -e ".[dev,host,browser]"
	$(BIN)/python -m pytest -m browser tests/browser -q

lab: $(STAMP)
	$(BIN)/python -m pip install -q -e ".[dev,host,browser]"
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
