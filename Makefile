# ServeSim: the two commands of the README, and a few conveniences.
#   make run    run the default scenario (reports in ./out)
#   make test   run the whole test suite, then check scenarios/ against reports/ (what CI runs)
SWIFT ?= swift
CONFIG ?= release

.PHONY: run test check build bench calibrate clean default-scenario reports readme kernel-tables

build:
	@scripts/bootstrap.sh
	$(SWIFT) build -c $(CONFIG) --product servesim

run: build
	.build/$(CONFIG)/servesim run

# Release mode: the theory checks simulate millions of requests. Serial: the kernel validation
# test times real steps and must not share the two cores with the rest of the suite.
test:
	@scripts/bootstrap.sh --test
	$(SWIFT) build -c $(CONFIG) --build-tests
	$(SWIFT) test -c $(CONFIG) --skip-build --no-parallel
	.build/$(CONFIG)/servesim check scenarios --baseline reports --quiet

# Re-run every scenario and fail (exit 1) on a regression against its committed report.
check: build
	.build/$(CONFIG)/servesim check scenarios --baseline reports

bench: build
	.build/$(CONFIG)/servesim bench

calibrate: build
	.build/$(CONFIG)/servesim calibrate

clean:
	rm -rf .build out

# Rebuild the built-in default scenario from scenarios/chat-h100.json5.
default-scenario:
	scripts/sync-default-scenario.sh

# Re-record the committed reports of every scenario (a test checks they are up to date).
reports: build
	.build/$(CONFIG)/servesim run scenarios --out reports --quiet > /dev/null

# Regenerate the README's scenario-key tables from the format's declarations (a test checks them).
readme: build
	scripts/sync-readme-keys.sh .build/$(CONFIG)/servesim

# Regenerate the measured kernel tables shipped for each GPU from aiconfigurator's
# microbenchmarks in ../shared/data (a test checks the shipped ones against the data).
AICONFIGURATOR ?= ../shared/data/aiconfigurator
kernel-tables: build
	for gpu in h100_sxm h200_sxm a100_sxm l40s; do \
	    .build/$(CONFIG)/servesim profile hardware $(AICONFIGURATOR) --gpu $$gpu --swift \
	        --out Sources/ServingModel/Hardware/Measured/KernelMeasurements+$$gpu.swift || exit 1; \
	done
