# Build and test tooling for the edge.cloudfront collection (GNU make).
# Everything runs offline apart from PyPI: see shared/TOOLING.md for the why of each step.
#
#   make test         venv, units, lint, sanity, build-check, e2e (what .ci/run runs)
#   make units        pytest tests/unit and tests/emulator against the build copy
#   make lint         ansible-lint --offline (production profile, .ansible-lint)
#   make sanity       ansible-test sanity --venv --python 3.11 in the build copy
#   make install      build the tarball, check its contents, install it into .build/installed
#   make build-check  run a module of the installed artifact
#   make e2e          pytest tests/e2e: real ansible-playbook runs against the local emulator
#   make demo         the DNS-migration runbook against the local emulator (scripts/demo.sh)
#   make bench        speed and API cost measurements (scripts/bench.sh)
#   make clean        remove .venv*, .build and test output

PYTHON ?= python3
VENV := .venv
AWSCLI_VENV := .venv-awscli
BUILD := .build
COLL := $(BUILD)/ansible_collections/edge/cloudfront
BIN := $(CURDIR)/$(VENV)/bin
# Recipes that run the tools put the venv first on PATH (ansible-test and
# ansible-lint call ansible-playbook, ansible-doc, python3.11 ... by name).
RUN := PATH="$(BIN):$$PATH"
INSTALLED_ENV := ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(BUILD)/installed ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
TEST_ENV := EDGE_AWS_CLI=$(CURDIR)/$(AWSCLI_VENV)/bin/aws
SECTION = @printf '\n==== %s ====\n' "$(1)"

.PHONY: test venv collection units lint sanity install build-check e2e demo bench clean

# Steps run one at a time, in the order listed, and make stops at the first failure.
.NOTPARALLEL:

test: venv units lint sanity build-check e2e
	$(call SECTION,make test: all passed)

# ---- virtualenvs (stamps: a second run is instant, a requirements change reinstalls) ----
venv: $(VENV)/.stamp $(AWSCLI_VENV)/.stamp

$(VENV)/.stamp: test-requirements.txt requirements.txt
	$(call SECTION,venv: $(VENV))
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q -r requirements.txt -r test-requirements.txt
	touch $@

$(AWSCLI_VENV)/.stamp: scripts/requirements-awscli.txt
	$(call SECTION,venv: $(AWSCLI_VENV))
	test -x $(AWSCLI_VENV)/bin/python || $(PYTHON) -m venv $(AWSCLI_VENV)
	$(AWSCLI_VENV)/bin/python -m pip install -q -r scripts/requirements-awscli.txt
	touch $@

# ---- the build copy: a real .build/ansible_collections/edge/cloudfront, amazon.aws beside it ----
collection: $(VENV)/.stamp
	$(VENV)/bin/python scripts/sync_collection.py $(BUILD)

units: venv collection
	$(call SECTION,units: pytest $(wildcard tests/unit tests/emulator))
	$(RUN) $(TEST_ENV) pytest $(wildcard tests/unit tests/emulator)

# ANSIBLE_COLLECTIONS_PATH=.build lets it resolve edge.cloudfront.* (and amazon.aws) offline.
lint: venv collection
	$(call SECTION,lint: ansible-lint --offline)
	$(RUN) ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(BUILD) ansible-lint --offline

sanity: venv collection
	$(call SECTION,sanity: ansible-test sanity --venv --python 3.11)
	PY=$(BIN)/python bash scripts/ansible_test_offline_bootstrap.sh
	cd $(COLL) && $(RUN) ansible-test sanity --venv --python 3.11

# The built artifact, installed where build-check, e2e, demo and bench use it.
install: venv collection
	$(call SECTION,install: build + install the collection artifact)
	rm -rf $(BUILD)/dist $(BUILD)/installed
	cd $(COLL) && $(RUN) ansible-galaxy collection build --output-path $(CURDIR)/$(BUILD)/dist --force
	$(VENV)/bin/python scripts/check_tarball.py $(COLL) $(BUILD)/dist/edge-cloudfront-*.tar.gz
	$(RUN) $(INSTALLED_ENV) ansible-galaxy collection install --no-deps -p $(BUILD)/installed $(BUILD)/dist/edge-cloudfront-*.tar.gz

build-check: install
	$(call SECTION,build-check: run a module of the installed artifact)
	$(RUN) $(INSTALLED_ENV) ansible-playbook tests/build_check/installed_module.yml

# Real ansible-playbook runs of the installed artifact against the local CloudFront emulator.
e2e: build-check
	$(call SECTION,e2e: pytest tests/e2e)
	$(RUN) $(TEST_ENV) EDGE_COLLECTIONS_PATH=$(CURDIR)/$(BUILD)/installed pytest tests/e2e

demo bench: install
	$(RUN) $(TEST_ENV) $(INSTALLED_ENV) bash scripts/$@.sh

clean:
	rm -rf $(VENV) $(AWSCLI_VENV) $(BUILD) tests/output .ansible .pytest_cache
