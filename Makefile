# Two commands do all set-up on a fresh machine (see README):
#   make serve   install, ingest seeds/, serve the API and chat page on 127.0.0.1:8000
#   make test    install (with dev tools and Debian's chromium for the browser test) and run the tests
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: serve test install install-dev browser lint bench eval clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed

serve: install
	$(BIN)/bulletins ingest seeds/
	$(BIN)/bulletins serve --host $(HOST) --port $(PORT)

browser:
	@{ command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; } || { \
	  echo "installing Debian's chromium and a CJK font for the browser test"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null; }

test: install browser
	$(BIN)/ruff check service vectorstore evals tests bench
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/chat_latency.py

eval: install
	$(BIN)/bulletins eval --answerer extractive

clean:
	rm -rf data .pytest_cache
