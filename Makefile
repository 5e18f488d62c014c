# make book   - build the HTML book into _build/html (creates .venv on first use)
# make test   - ruff (lint, format), unit tests, nbval over every chapter, book checks
# make test-machines - every chapter under nbval as other CPUs would run it
# make outputs - re-execute every chapter in place (refresh stored outputs)
# make bench  - performance benchmark (make bench-quick for the CI-sized run)
# make test-oldest - unit tests and one chapter at the lowest versions pyproject allows
# make screenshots - refresh docs/screenshot*.png (the README's) from the rendered book
# make lab    - open the chapters in JupyterLab, in the project's environment
# make pdf    - the whole book as one PDF (Chromium), also built by make book
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.d2lcore-installed
LAB     = $(VENV)/.d2lcore-lab-installed

.PHONY: book pdf test test-oldest test-machines outputs bench bench-quick screenshots lab clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[book,test]'
	touch $(STAMP)

book: $(STAMP)
	$(VENV)/bin/jupyter-book build . --all --warningiserror --keep-going
	$(PY) tools/build_pdf.py

pdf: $(STAMP)
	$(PY) tools/build_pdf.py

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest

test-oldest: $(STAMP)
	$(PY) tools/test_oldest.py

test-machines: $(STAMP)
	$(PY) tools/check_machines.py

outputs: $(STAMP)
	$(PY) tools/execute_chapters.py

bench: $(STAMP)
	$(PY) benchmarks/bench.py

bench-quick: $(STAMP)
	$(PY) benchmarks/bench.py --quick

screenshots: $(STAMP)
	$(PY) tools/update_screenshots.py

# JupyterLab is the optional extra 'lab'; the kernel is this environment's python3.
$(LAB): $(STAMP)
	$(PY) -m pip install --quiet -e '.[book,test,lab]'
	touch $(LAB)

lab: $(LAB)
	$(VENV)/bin/jupyter lab book/

clean:
	rm -rf _build
