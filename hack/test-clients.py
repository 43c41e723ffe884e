#!/usr/bin/env python3
"""Real-client tests of the quiver-embed binary, run by `make test`.

- the official OpenAI Python client (`embeddings.create`, float and base64);
- flags read from environment variables;
- start-up errors (missing ONNX Runtime library, missing model, unsupported execution provider);
- SIGTERM: stop taking new requests, finish the ones in flight, exit 0.

Everything runs on 127.0.0.1 with bounded waits; only processes started here are stopped.
Prints `N passed, N failed` and exits non-zero on any failure.
"""
import argparse
import base64
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
import urllib.error
import urllib.request

from processes import stop_process

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REFERENCE = os.path.join(ROOT, "Tests", "EmbeddingServerTests", "Resources", "minilm-reference.json")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, args, extra=(), env=None):
        self.port = free_port()
        cmd = [args.binary, "--model-id", args.model, "--onnxruntime-library", args.onnxruntime,
               "--hostname", "127.0.0.1", "--port", str(self.port), *extra]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        self.output = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.base = f"http://127.0.0.1:{self.port}"

    def _read(self):
        for line in self.proc.stdout:
            self.output.append(line.decode(errors="replace"))

    def wait_healthy(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("server exited early:\n" + "".join(self.output))
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as r:
                    if r.status == 200:
                        return self
            except Exception:
                pass
            time.sleep(0.1)
        raise AssertionError("server not healthy in time:\n" + "".join(self.output))

    def stop(self):
        stop_process(self.proc)
        self.reader.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def post(base, path, body, timeout=60):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    na = sum(x * x for x in a) ** 0.5
    nb = sum(y * y for y in b) ** 0.5
    return dot / (na * nb)


def run_startup_failure(args, extra, expect, env=None):
    port = free_port()
    cmd = [args.binary, "--hostname", "127.0.0.1", "--port", str(port), *extra]
    proc = subprocess.run(cmd, capture_output=True, timeout=60, env={**os.environ, **(env or {})})
    out = (proc.stdout + proc.stderr).decode(errors="replace")
    assert proc.returncode != 0, f"expected a non-zero exit, got 0:\n{out}"
    assert expect in out, f"expected {expect!r} in:\n{out}"


# ---------------------------------------------------------------------------- tests

def test_openai_client_float_and_base64(args):
    import openai
    reference = json.load(open(REFERENCE))["cases"]
    with Server(args) as server:
        server.wait_healthy()
        client = openai.OpenAI(base_url=server.base + "/v1", api_key="unused")
        texts = [c["text"] for c in reference[:8]]
        result = client.embeddings.create(model="all-MiniLM-L6-v2", input=texts)
        assert len(result.data) == 8
        for case, item in zip(reference, result.data):
            assert len(item.embedding) == 384
            c = cosine(item.embedding, case["embedding"])
            assert c >= 0.99999, f"case {case['id']}: cosine {c}"
        assert result.usage.prompt_tokens == sum(c["n_tokens"] for c in reference[:8])
        assert result.model == "all-MiniLM-L6-v2"

        # The client asks for base64 by default when numpy is absent and decodes it itself;
        # ask explicitly and decode by hand as well.
        b64 = client.embeddings.create(model="all-MiniLM-L6-v2", input=texts[0], encoding_format="base64")
        emb = b64.data[0].embedding
        if isinstance(emb, str):
            raw = base64.b64decode(emb)
            emb = list(struct.unpack("<%df" % (len(raw) // 4), raw))
        assert len(emb) == 384
        assert cosine(emb, reference[0]["embedding"]) >= 0.99999

        small = client.embeddings.create(model="all-MiniLM-L6-v2", input="hello", dimensions=128)
        assert len(small.data[0].embedding) == 128

        try:
            client.embeddings.create(model="no-such-model", input="hello")
            raise AssertionError("expected NotFoundError")
        except openai.NotFoundError as e:
            assert e.status_code == 404
            assert "no-such-model" in str(e)
        try:
            client.embeddings.create(model="all-MiniLM-L6-v2", input=[])
            raise AssertionError("expected BadRequestError")
        except openai.BadRequestError as e:
            assert e.status_code == 400


def test_environment_variables_configure_the_server(args):
    with Server(args, env={"MAX_CLIENT_BATCH_SIZE": "2", "API_KEY": "k"}) as server:
        server.wait_healthy()
        req = urllib.request.Request(server.base + "/embed", data=b'{"inputs":["a","b","c"]}',
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer k"})
        try:
            urllib.request.urlopen(req, timeout=30)
            raise AssertionError("expected 422")
        except urllib.error.HTTPError as e:
            assert e.code == 422, e.code
            assert "maximum allowed batch size 2" in json.loads(e.read())["error"]
        status, _ = post(server.base, "/embed", {"inputs": "a"})
        assert status == 401, status


def test_startup_errors_are_clear(args):
    run_startup_failure(args, ["--model-id", args.model, "--onnxruntime-library", "/nonexistent/libonnxruntime.so"],
                        "/nonexistent/libonnxruntime.so")
    run_startup_failure(args, ["--model-id", "/nonexistent/model", "--onnxruntime-library", args.onnxruntime],
                        "/nonexistent/model")
    run_startup_failure(args, ["--model-id", args.model, "--onnxruntime-library", args.onnxruntime,
                               "--execution-provider", "cuda"], "libonnxruntime_providers_cuda")
    run_startup_failure(args, ["--model-id", args.model, "--onnxruntime-library", args.onnxruntime,
                               "--max-batch-tokens", "100"], "--max-batch-tokens (100)")
    run_startup_failure(args, ["--model-id", args.model, "--onnxruntime-library", args.onnxruntime,
                               "--pooling", "max"], "--pooling")


def test_sigterm_finishes_requests_in_flight(args):
    texts = ["word " * 200] * 32
    with Server(args) as server:
        server.wait_healthy()
        results = []

        def call():
            results.append(post(server.base, "/embed", {"inputs": texts}, timeout=120))

        threads = [threading.Thread(target=call) for _ in range(4)]
        for t in threads:
            t.start()
        # Wait (bounded) until all 4 × 32 inputs are admitted, as /metrics reports.
        deadline = time.time() + 30
        while time.time() < deadline:
            with urllib.request.urlopen(server.base + "/metrics", timeout=5) as r:
                text = r.read().decode()
            counts = [float(line.split()[-1]) for line in text.splitlines() if line.startswith("te_embed_count")]
            if counts and counts[0] >= 128:
                break
            time.sleep(0.02)
        else:
            raise AssertionError("requests were not admitted in time")
        server.proc.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(timeout=120)
        code = server.proc.wait(timeout=60)
        assert code == 0, f"exit code {code}:\n{''.join(server.output)}"
        statuses = [s for s, _ in results]
        assert statuses == [200] * 4, f"statuses {statuses}"
        assert all(len(body) == 32 for _, body in results)
        # New connections are refused once it has stopped.
        try:
            urllib.request.urlopen(server.base + "/health", timeout=2)
            raise AssertionError("server still answering after SIGTERM")
        except (urllib.error.URLError, ConnectionError):
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--onnxruntime", required=True)
    args = parser.parse_args()
    tests = [v for k, v in sorted(globals().items()) if k.startswith("test_")]
    passed = failed = 0
    for test in tests:
        start = time.time()
        try:
            test(args)
            passed += 1
            print(f"PASS {test.__name__} ({time.time() - start:.1f}s)", flush=True)
        except Exception:
            failed += 1
            print(f"FAIL {test.__name__}", flush=True)
            traceback.print_exc()
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
