# Phase OS — `make help` lists the targets.
# Idempotent: the virtualenv is (re)installed only when pyproject.toml changed.

VENV       := .venv
PYTHON     := $(VENV)/bin/python
PIP        := $(PYTHON) -m pip
DEMO       := demo-studio
RUN_STAMP  := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
SYS_STAMP  := $(VENV)/.stamp-system
# Debian packages the tests and the bench use (PortAudio for sounddevice, tmux for the smoke
# test, zip for the export bench's reference).
APT_PACKAGES := libportaudio2 tmux zip

.DEFAULT_GOAL := help
.PHONY: help run test bench lint demo whisper clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: $(RUN_STAMP) $(DEMO)/phase_os.toml  ## Set up, create the demo studio if missing, open the app on it
	$(VENV)/bin/phase-os --studio $(DEMO)

test: $(TEST_STAMP)  ## Set up with test extras and run the whole test suite
	$(PYTHON) -m pytest

bench: $(TEST_STAMP)  ## Measure the performance targets; writes bench/RESULTS.md
	$(PYTHON) -m bench

lint: $(TEST_STAMP)  ## ruff over the code and the tests
	$(VENV)/bin/ruff check phase_tui screens widgets tests bench

demo: $(DEMO)/phase_os.toml  ## Create the demo studio

whisper: | $(PYTHON)  ## Add the openai-whisper backend (CPU torch first: no CUDA downloads)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[whisper]'

clean:  ## Remove the virtualenv and the demo studio
	rm -rf $(VENV) $(DEMO)

$(PYTHON):
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(SYS_STAMP): | $(PYTHON)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
		if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	else echo "not root: make sure these are installed: $(APT_PACKAGES)"; fi
	touch $@

$(RUN_STAMP): pyproject.toml | $(PYTHON)
	$(PIP) install --quiet -e '.[fast]'
	touch $@

# The tests exercise both Whisper backends: CPU torch first (no CUDA downloads), then the rest.
$(TEST_STAMP): pyproject.toml $(SYS_STAMP) | $(PYTHON)
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[test,fast,whisper]'
	touch $@

$(DEMO)/phase_os.toml: $(RUN_STAMP)
	$(VENV)/bin/phase-os demo $(DEMO)
