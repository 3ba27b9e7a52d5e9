# ledger: the two commands a newcomer runs are `make run` and `make test`.
SWIFT      ?= swift
DB         ?= ledger.sqlite
LEDGER_REL := .build/release/ledger
# Release builds link the Swift runtime and Foundation statically (Package.swift's linker
# settings): a process starts without the dynamic loader's relocations.
RELEASE    := -c release

BENCH_EVENTS       ?= 1000000
BENCH_DESIGNATIONS ?= 100000
# The long-stream cases: one resolution taking many compliance reports, one incident taking
# attributions and corrections (the sizes of the performance issue).
BENCH_LONG_RESOLUTION ?= 100000
BENCH_LONG_INCIDENT   ?= 10000
# The import case: synthetic UN and OFAC lists of this many entries each, in the real formats.
BENCH_LIST_ENTRIES ?= 20000
# The PostgreSQL column: the same generator against a durable throwaway server on loopback.
BENCH_SERVER_EVENTS ?= 100000

.PHONY: run test bench build build-release deps python-deps pg-deps service-test-deps lint clean

## make run: build (release), load seeds/ into $(DB), verify, and tell the seeds' story:
## what could be known on the days that something changed (valid time, --as-of).
run: deps build-release
	@$(LEDGER_REL) init --db $(DB)
	@$(LEDGER_REL) append --db $(DB) --actor "make run" seeds/*.ndjson
	@$(LEDGER_REL) verify --db $(DB)
	@echo; echo "== 2019-12-22: the last day of resolution 2397's 24 months; repatriate-workers is still pending"
	@$(LEDGER_REL) report obligations --db $(DB) --as-of 2019-12-22
	@echo; echo "== 2019-12-23: the repatriation deadline has passed (repatriate-workers is past-deadline)"
	@$(LEDGER_REL) report obligations --db $(DB) --as-of 2019-12-23
	@echo; echo "== 2022-04-13: the Ronin bridge theft is known (\$$625M at disclosure prices); no one has attributed it"
	@$(LEDGER_REL) report thefts --db $(DB) --as-of 2022-04-13
	@echo; echo "== 2022-04-14: the FBI attributes Ronin to the Lazarus Group and APT38, and a correction sets its amount to the FBI's \$$620M"
	@$(LEDGER_REL) report thefts --db $(DB) --as-of 2022-04-14
	@echo; echo "== 2022-04-13: the Ethereum address that received the Ronin funds is on no list yet (no rows)"
	@$(LEDGER_REL) screen 0x098b716b8aaf21512996dc57eb0615e2383e2f96 --db $(DB) --as-of 2022-04-13
	@echo; echo "== 2022-04-14: OFAC adds that address to the Lazarus Group's SDN entry"
	@$(LEDGER_REL) screen 0x098b716b8aaf21512996dc57eb0615e2383e2f96 --db $(DB) --as-of 2022-04-14
	@echo; echo "== 2024-12-18: Chainalysis's figure for 2023 is still its first estimate, \$$1B"
	@$(LEDGER_REL) report totals --db $(DB) --as-of 2024-12-18
	@echo; echo "== 2024-12-19: Chainalysis revises 2023 to \$$660.5M and reports \$$1.34B for 2024"
	@$(LEDGER_REL) report totals --db $(DB) --as-of 2024-12-19
	@echo; echo "== 2025-03-20: Tornado Cash is still on the SDN list"
	@$(LEDGER_REL) screen "Tornado Cash" --db $(DB) --as-of 2025-03-20
	@echo; echo "== 2025-03-21: Treasury delists Tornado Cash (no rows)"
	@$(LEDGER_REL) screen "Tornado Cash" --db $(DB) --as-of 2025-03-21
	@echo; echo "== the actors as of today, with the amounts attributed to each (after corrections)"
	@$(LEDGER_REL) report actors --db $(DB)
	@echo; echo "== why Ronin's row reads as it does on 2022-04-14: the events behind it, and what each does that day"
	@$(LEDGER_REL) explain thefts incident/ronin-bridge-2022 --db $(DB) --as-of 2022-04-14
	@echo; echo "== the log's tree head as a checkpoint to keep elsewhere, and the proof that event 1 is in that tree"
	@$(LEDGER_REL) checkpoint --db $(DB) --origin "make run"
	@$(LEDGER_REL) prove 1 --db $(DB)
	@echo; echo "== the same answers over HTTP: start the service (it stops on Ctrl-C), then ask it from another terminal"
	@echo "   $(LEDGER_REL) serve --db $(DB)"
	@echo "   curl 'http://127.0.0.1:8080/v1/reports/totals?as_of=2024-12-19'"
	@echo "   (README.md, 'The service', lists every endpoint)"

## make test: build everything and run every test, the server tests against a throwaway
## PostgreSQL server that Tests/with-postgres starts and stops around them.
test: deps python-deps pg-deps service-test-deps lint
	$(SWIFT) build --build-tests
	Tests/with-postgres $(SWIFT) test --skip-build --parallel
	Tests/serve-api-check

## lint: the toolchain's formatter, in check mode (.swift-format).
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

## make bench: build release, generate BENCH_EVENTS events and measure every figure of the
## performance issue (a table and one JSON line). Scratch files go to .build-bench/.
## The real-lists step screens on the real OFAC and UN files, which are not in the repository
## (Tests/peer-comparison/README.md says where to put them); it says it skipped without them.
bench: deps pg-deps
	$(SWIFT) build $(RELEASE) --product ledger
	$(SWIFT) build $(RELEASE) --product ledger-serve
	$(SWIFT) build $(RELEASE) --product ledger-bench
	@command -v sqlite3 >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq sqlite3 >/dev/null; } || \
	  { echo "missing the sqlite3 shell: run 'sudo apt-get install sqlite3'"; exit 1; }
	.build/release/ledger-bench run --mix realistic --events $(BENCH_EVENTS) \
	  --long-resolution-events $(BENCH_LONG_RESOLUTION) --long-incident-events $(BENCH_LONG_INCIDENT) \
	  --ledger .build/release/ledger --work .build-bench
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq wrk curl >/dev/null; } || \
	  { echo "missing wrk: run 'sudo apt-get install wrk'"; exit 1; }
	.build/release/ledger-bench serve --ledger .build/release/ledger --large-ledger .build-bench/bench.sqlite \
	  --work .build-bench-serve
	.build/release/ledger-bench run --mix own --events $(BENCH_EVENTS) --designations $(BENCH_DESIGNATIONS) \
	  --long-resolution-events $(BENCH_LONG_RESOLUTION) --long-incident-events $(BENCH_LONG_INCIDENT) \
	  --ledger .build/release/ledger --work .build-bench
	.build/release/ledger-bench screening --ledger .build/release/ledger --work .build-bench-screening
	.build/release/ledger-bench lists --entries $(BENCH_LIST_ENTRIES) --ledger .build/release/ledger --work .build-bench-lists
	.build/release/ledger-bench real-lists --ledger .build/release/ledger --work .build-bench-real-lists
	LEDGER_PG_DURABLE=1 Tests/with-postgres sh -c 'PGPASSWORD="$$LEDGER_TEST_PG_PASSWORD" \
	  .build/release/ledger-bench server --url "$$LEDGER_TEST_PG_URL" --events $(BENCH_SERVER_EVENTS) \
	  --designations $$(($(BENCH_SERVER_EVENTS) / 10)) --ledger .build/release/ledger --work .build-bench-server'

build: deps
	$(SWIFT) build

build-release: deps
	$(SWIFT) build $(RELEASE) --product ledger
	$(SWIFT) build $(RELEASE) --product ledger-serve

## deps: the SQLite C library and headers (libsqlite3-dev), found through pkg-config.
deps:
	@if ! pkg-config --exists sqlite3 2>/dev/null || [ ! -f "$$(pkg-config --variable=includedir sqlite3 2>/dev/null)/sqlite3.h" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing libsqlite3-dev and pkg-config"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsqlite3-dev pkg-config sqlite3 >/dev/null; \
	  else \
	    echo "missing SQLite development files: run 'sudo apt-get install libsqlite3-dev pkg-config'"; exit 1; \
	  fi; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "missing Swift 6 toolchain: install it from swift.org"; exit 1; }

## pg-deps: the PostgreSQL server programs (Debian's postgresql) for the server tests.
pg-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "installing postgresql"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else \
	    echo "missing the PostgreSQL server for the server tests: run 'sudo apt-get install postgresql'"; exit 1; \
	  fi; \
	fi

## python-deps: the tests check the JSON Schemas with an independent validator (python3-jsonschema)
## and run the README's offline proof checker (python3-cryptography, for Ed25519).
python-deps:
	@for module in jsonschema cryptography; do \
	  if ! python3 -c "import $$module" 2>/dev/null; then \
	    if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	      echo "installing python3 $$module"; \
	      (python3 -m pip install -q $$module 2>/dev/null) || \
	      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-$$module >/dev/null); \
	    else \
	      echo "missing python3 $$module: run 'python3 -m pip install $$module'"; exit 1; \
	    fi; \
	  fi; \
	done

## service-test-deps: the service's tests talk to it with curl, and Tests/serve-api-check runs
## schemathesis (PyPI) against it, checked against Schemas/openapi.json.
service-test-deps:
	@command -v curl >/dev/null || { [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null && \
	  echo "installing curl" && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; } || \
	  { echo "missing curl: run 'sudo apt-get install curl'"; exit 1; }
	@command -v schemathesis >/dev/null || { echo "installing schemathesis"; python3 -m pip install -q schemathesis; } || \
	  { echo "missing schemathesis: run 'python3 -m pip install schemathesis'"; exit 1; }

clean:
	rm -rf .build .build-bench .build-bench-server .build-bench-serve $(DB) $(DB)-wal $(DB)-shm
