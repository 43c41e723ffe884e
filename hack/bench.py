#!/usr/bin/env python3
"""`make bench`: quiver-embed over HTTP against the raw ONNX Runtime ceiling, side by side.

    .cache/venv/bin/python hack/bench.py --binary .build/release/quiver-embed \\
        --model .cache/models/all-MiniLM-L6-v2 --onnxruntime .cache/onnxruntime/lib/libonnxruntime.so.1.31.1

What it measures, in this order (everything on this machine, HTTP on 127.0.0.1 only, every loop
bounded in count or time):

1. Texts. Three workloads of deterministic English-like texts (seeded RNG over whole words of the
   tokenizer's vocabulary, Zipf-weighted by vocabulary rank, with some compound words, numbers,
   accented words and punctuation): short 8-16, medium 48-80, long 200-256 tokens per text,
   [CLS]/[SEP] included. Each text's token count is checked with Hugging Face `tokenizers`.
2. Tokenizer throughput: `quiver-bench tokenize` (EmbeddingCore's Tokenizer on N threads, built
   here with `swift build -c release --product quiver-bench` unless --quiver-bench is given)
   against HF `encode_batch` (all cores) on the same texts; the token counts must agree.
3. Per workload, back to back so that both see the same background load:
   a. Raw ceiling, in this process: `onnxruntime` (CPU, default session options) + HF `tokenizers`
      (padding/truncation from tokenizer.json switched off), batches of 32 sorted by length,
      padded per batch; tokenization, mean pooling and normalization inside the timing. tokens/s
      counts real tokens only. A pass holds at most --raw-max-tokens tokens (the long workload
      uses its first ~530 texts); passes repeat for at least --raw-min-seconds.
   b. quiver-embed over HTTP on a fresh server: POST /v1/embeddings with one input per request
      from `wrk` (hack/bench-load.lua cycles through prepared bodies), 64 connections, a warm-up
      then the timed run in --rounds segments, with the raw ceiling (a) measured again after
      each segment while the server idles: raw, HTTP, raw, HTTP, raw, HTTP, raw. A probe first
      checks that usage.prompt_tokens equals the known token count of 8 texts and that their
      vectors match raw ONNX Runtime's; tokens/s then sums usage.prompt_tokens of the completed
      requests over the segments (JSON usage_vs_known_mean cross-checks it against the mean
      known count); latency percentiles pool the segments' p1…p99. Peak RSS is the server's
      VmHWM after the run.
   c. short only: raw single-input latency (one short text per run, tokenization included),
      then quiver-embed with one connection alone.
   The ratio divides quiver's tokens/s by the mean of all the raw measurements around its
   segments: this machine's speed drifts by 5-10% within a minute, so a ceiling measured once,
   or only before and after one long HTTP run, tips the ratio either way. The JSON keeps every
   raw measurement (raw.measurements) and each segment's own ratio against the raw measurements
   on either side of it (round_ratios).
   Every timed phase records the CPU used by other processes ("other load"); a verdict measured
   under 0.25 cores or more of it is marked with '*'.

Prints a table with PASS/FAIL against the targets and writes bench-results/latest.json.
Exits 0 when it ran through (missed targets included); 1 when something broke (server did not
start, HTTP errors, wrong token counts, quiver-bench failed).
"""
import argparse
import json
import os
import platform
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import numpy as np

from processes import stop_process

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LUA = os.path.join(HERE, "bench-load.lua")

WORKLOADS = [("short", 8, 16), ("medium", 48, 80), ("long", 200, 256)]
TARGET_RATIO = 0.90          # quiver tokens/s ÷ raw tokens/s, per workload
TARGET_SINGLE_MS = 2.0       # quiver single-request p50 ≤ raw single-input p50 + this
TARGET_TOKENIZER = 1.0       # quiver-bench tokens/s ÷ HF encode_batch tokens/s
NOISY_CORES = 0.25           # other processes' average CPU during a measurement that makes it suspect
BATCH = 32
CLK_TCK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1

ACCENTED = ["café", "naïve", "résumé", "Zürich", "façade", "jalapeño", "São", "Ångström", "über",
            "crème", "Málaga", "coöperate", "señor", "Gödel", "fiancée"]


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


class Failures:
    """Things that broke (not missed targets): any makes the exit status 1."""

    def __init__(self):
        self.items = []

    def add(self, msg):
        log("ERROR: " + msg)
        self.items.append(msg)


# --------------------------------------------------------------------------------------------
# Machine load: the machine is shared, so every timed phase also reports the CPU used by others.

def cpu_busy_seconds():
    """Busy CPU seconds of the whole machine so far (all cores; idle and iowait excluded)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


def proc_cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            data = f.read()
        fields = data[data.rindex(")") + 2:].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, ValueError, IndexError):
        return 0.0


def self_cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def children_cpu_seconds():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


class LoadMeter:
    """Average cores busy on the machine during a phase, and how much of it was not ours."""

    def __init__(self, ours):
        self.ours = ours  # callable -> CPU seconds of the processes this phase is measuring
        self.t0 = time.perf_counter()
        self.busy0 = cpu_busy_seconds()
        self.ours0 = ours()

    def stop(self):
        wall = max(time.perf_counter() - self.t0, 1e-9)
        busy = cpu_busy_seconds() - self.busy0
        ours = self.ours() - self.ours0
        return {"wall_s": round(wall, 3), "machine_cores_busy": round(busy / wall, 2),
                "measured_cores": round(ours / wall, 2),
                "other_cores": round(max(busy - ours, 0.0) / wall, 2)}


# --------------------------------------------------------------------------------------------
# Texts

class TextGenerator:
    """Deterministic English-like texts with a token count (HF tokenizers, specials included)
    in [lo, hi]. BERT pre-tokenization splits on whitespace and punctuation and word-pieces
    each word alone, so a text's count is the sum of its words' counts plus [CLS] and [SEP];
    the whole text is checked again at the end."""

    def __init__(self, tokenizer, seed):
        self.tok = tokenizer
        self.rng = random.Random(seed)
        vocab = tokenizer.get_vocab()
        ranked = sorted((i, w) for w, i in vocab.items() if w.isascii() and w.isalpha() and len(w) >= 2)
        self.words = [w for _, w in ranked]
        cum, total = [], 0.0
        for rank in range(len(self.words)):
            total += 1.0 / (rank + 25)  # Zipf-like: BERT's vocabulary is roughly frequency-ordered
            cum.append(total)
        self.cum = cum
        self.cache = {}
        self.specials = len(tokenizer.encode("", add_special_tokens=True).ids)

    def count(self, piece):
        n = self.cache.get(piece)
        if n is None:
            n = len(self.tok.encode(piece, add_special_tokens=False).ids)
            self.cache[piece] = n
        return n

    def _vocab_word(self):
        return self.rng.choices(self.words, cum_weights=self.cum)[0]

    def word(self):
        r = self.rng.random()
        if r < 0.06:
            return self._vocab_word() + self._vocab_word()  # compound: several word pieces
        if r < 0.08:
            return str(self.rng.randint(1, 99999))
        if r < 0.09:
            return self.rng.choice(ACCENTED)
        return self._vocab_word()

    def text(self, lo, hi):
        while True:
            target = self.rng.randint(lo, hi)
            n = self.specials
            pieces = []
            left = 0
            while True:
                if left == 0:
                    left = self.rng.randint(4, 16)
                    capital = True
                fitted = False
                for _ in range(30):
                    w = self.word()
                    if capital:
                        w = w[:1].upper() + w[1:]
                    left -= 1
                    punct = "." if left == 0 else ("," if self.rng.random() < 0.08 else "")
                    c = self.count(w) + (1 if punct else 0)
                    if n + c + 1 <= target:  # keep one token for the final period
                        fitted = True
                        break
                    left += 1
                if not fitted:
                    break
                pieces.append(w + punct)
                n += c
                capital = punct == "."
            if not pieces:
                continue
            if pieces[-1].endswith(","):
                pieces[-1] = pieces[-1][:-1] + "."
            elif not pieces[-1].endswith("."):
                pieces[-1] += "."
                n += 1
            text = " ".join(pieces)
            real = len(self.tok.encode(text).ids)
            if lo <= real <= hi:
                return text, real


def make_texts(tokenizer, count, seed):
    out = {}
    for k, (name, lo, hi) in enumerate(WORKLOADS):
        gen = TextGenerator(tokenizer, seed + 1000 * k)
        texts, counts = [], []
        for _ in range(count):
            t, n = gen.text(lo, hi)
            texts.append(t)
            counts.append(n)
        # the batch encoder must agree with the one-by-one counts
        batch = [len(e.ids) for e in tokenizer.encode_batch(texts)]
        assert batch == counts, f"{name}: encode_batch disagrees with encode"
        assert all(lo <= n <= hi for n in counts)
        out[name] = {"texts": texts, "tokens": counts, "range": [lo, hi]}
    return out


def write_work_files(texts, workdir, served_name):
    """texts-NAME.txt (one text per line) for quiver-bench; bodies-NAME.tsv ("count\\tJSON") for wrk."""
    for name, w in texts.items():
        tpath = os.path.join(workdir, f"texts-{name}.txt")
        bpath = os.path.join(workdir, f"bodies-{name}.tsv")
        with open(tpath, "w", encoding="utf-8") as f:
            for t in w["texts"]:
                assert "\n" not in t and "\r" not in t
                f.write(t + "\n")
        with open(bpath, "w", encoding="utf-8") as f:
            for t, n in zip(w["texts"], w["tokens"]):
                f.write(f"{n}\t{json.dumps({'input': t, 'model': served_name}, ensure_ascii=False)}\n")
        w["texts_file"] = tpath
        w["bodies_file"] = bpath


# --------------------------------------------------------------------------------------------
# Raw ONNX Runtime ceiling

def load_tokenizer(path):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(path)
    tok.no_padding()
    tok.no_truncation()
    return tok


class RawModel:
    def __init__(self, model_path):
        import onnxruntime as ort
        self.session = ort.InferenceSession(model_path, providers=["CPUExecutionProvider"])
        self.names = {i.name for i in self.session.get_inputs()}

    def embed(self, id_lists):
        rows = len(id_lists)
        width = max(len(e) for e in id_lists)
        ids = np.zeros((rows, width), np.int64)
        mask = np.zeros((rows, width), np.int64)
        for r, e in enumerate(id_lists):
            ids[r, :len(e)] = e
            mask[r, :len(e)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.names:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self.session.run(None, feed)[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def raw_pass(model, tok, texts):
    encodings = tok.encode_batch(texts)
    ids = [e.ids for e in encodings]
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    tokens = 0
    for b in range(0, len(order), BATCH):
        batch = [ids[i] for i in order[b:b + BATCH]]
        model.embed(batch)
        tokens += sum(len(e) for e in batch)
    return tokens


def raw_throughput(model, tok, texts, min_seconds, max_passes):
    raw_pass(model, tok, texts[:2 * BATCH])  # warm-up
    meter = LoadMeter(self_cpu_seconds)
    t0 = time.perf_counter()
    tokens = passes = 0
    while True:
        tokens += raw_pass(model, tok, texts)
        passes += 1
        wall = time.perf_counter() - t0
        if wall >= min_seconds or passes >= max_passes:
            break
    load = meter.stop()
    return {"tokens_per_second": tokens / wall, "texts_per_second": passes * len(texts) / wall,
            "tokens": tokens, "texts": passes * len(texts), "passes": passes, "wall_s": round(wall, 3),
            "load": load}


def ceiling(measurements):
    """The raw ceiling from the measurements interleaved with a workload's HTTP segments: their
    mean, the busiest one's other load, and all of them as they were."""
    return {"tokens_per_second": sum(m["tokens_per_second"] for m in measurements) / len(measurements),
            "load": {"other_cores": max(m["load"]["other_cores"] for m in measurements)},
            "measurements": measurements}


def raw_single_latency(model, tok, texts, seconds, max_runs):
    for t in texts[:30]:
        model.embed([tok.encode(t).ids])
    meter = LoadMeter(self_cpu_seconds)
    lat = []
    deadline = time.perf_counter() + seconds
    i = 0
    while len(lat) < max_runs and time.perf_counter() < deadline:
        t = texts[i % len(texts)]
        i += 1
        t0 = time.perf_counter()
        model.embed([tok.encode(t).ids])
        lat.append(time.perf_counter() - t0)
    ms = np.array(lat) * 1000
    return {"runs": len(lat), "p50_ms": float(np.percentile(ms, 50)), "p99_ms": float(np.percentile(ms, 99)),
            "mean_ms": float(ms.mean()), "load": meter.stop()}


# --------------------------------------------------------------------------------------------
# Tokenizer throughput

def hf_tokenizer_throughput(tok, texts, seconds):
    tokens_per_pass = sum(len(e.ids) for e in tok.encode_batch(texts))  # also the warm-up
    meter = LoadMeter(self_cpu_seconds)
    t0 = time.perf_counter()
    passes = 0
    while True:
        tok.encode_batch(texts)
        passes += 1
        wall = time.perf_counter() - t0
        if wall >= seconds:
            break
    return {"tokens_per_second": tokens_per_pass * passes / wall, "texts_per_second": len(texts) * passes / wall,
            "tokens_per_pass": tokens_per_pass, "passes": passes, "load": meter.stop()}


def build_quiver_bench():
    log("building quiver-bench (swift build -c release --product quiver-bench)")
    r = subprocess.run(["swift", "build", "-c", "release", "--product", "quiver-bench"], cwd=ROOT,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=3600)
    if r.returncode != 0:
        raise RuntimeError("swift build --product quiver-bench failed:\n" + r.stdout.decode(errors="replace")[-3000:])
    bin_dir = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=ROOT, check=True,
                             stdout=subprocess.PIPE, timeout=600).stdout.decode().strip()
    return os.path.join(bin_dir, "quiver-bench")


def quiver_tokenizer_throughput(qb, tokenizer_path, texts_file, threads, seconds):
    cmd = [qb, "tokenize", "--tokenizer", tokenizer_path, "--texts", texts_file, "--duration", str(seconds)]
    if threads:
        cmd += ["--threads", str(threads)]
    meter = LoadMeter(children_cpu_seconds)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=seconds + 120)
    load = meter.stop()
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stderr.decode(errors='replace')[-3000:]}")
    lines = [l for l in r.stdout.decode().splitlines() if l.strip().startswith("{")]
    if not lines:
        raise RuntimeError(f"quiver-bench printed no JSON:\n{r.stdout.decode(errors='replace')[-2000:]}")
    out = json.loads(lines[-1])
    out["load"] = load
    return out


# --------------------------------------------------------------------------------------------
# quiver-embed over HTTP

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proc:
    """A process this script started; its output goes to a log file; stop() ends it by PID.
    (hack/bench-gateway.py uses it too.)"""
    failure = RuntimeError  # what check_alive raises

    def __init__(self, name, cmd, log_path, env=None):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT,
                                     env=env, stdin=subprocess.DEVNULL)
        self.pid = self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def check_alive(self):
        if not self.alive():
            raise self.failure(f"{self.name} exited with {self.proc.returncode}:\n{self.tail()}")

    def tail(self, n=40):
        try:
            with open(self.log_path, "rb") as f:
                return "\n".join(f.read().decode(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def cpu_seconds(self):
        return proc_cpu_seconds(self.pid)

    def stop(self):
        stop_process(self.proc)
        self.log.close()


class Server(Proc):
    """quiver-embed on a free loopback port."""

    def __init__(self, args, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        super().__init__("quiver-embed", [args.binary, "--model-id", args.model, "--onnxruntime-library", args.onnxruntime,
                                          "--hostname", "127.0.0.1", "--port", str(self.port), *args.server_arg], log_path)

    def wait_healthy(self, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"quiver-embed exited with {self.proc.returncode} before /health answered:\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except Exception:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"quiver-embed: /health not 200 within {timeout} s:\n{self.tail()}")

    def wait_idle(self, timeout=30.0, window=0.25, cores=0.1):
        """Waits (at most `timeout` s) until the server uses under `cores` over `window` s. wrk
        abandons the requests in flight when it stops; the server still finishes them, and that
        work must not overlap the next measurement."""
        deadline = time.time() + timeout
        last = self.cpu_seconds()
        while time.time() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if (now - last) / window < cores:
                return True
            last = now
        log(f"quiver-embed still busy {timeout:.0f} s after the load stopped; measuring anyway")
        return False

    def memory_kib(self):
        out = {}
        try:
            with open(f"/proc/{self.pid}/status") as f:
                for line in f:
                    key, _, value = line.partition(":")
                    if key in ("VmHWM", "VmRSS"):
                        out[key] = int(value.split()[0])
        except OSError:
            pass
        return out


def post_json(url, payload, timeout=60):
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


def probe(server, served_name, workload, references, failures, name):
    """Known token counts vs usage.prompt_tokens, and vectors vs raw ONNX Runtime, on a few texts."""
    checked = 0
    for i, ref in references:
        text = workload["texts"][i]
        status, body = post_json(server.base + "/v1/embeddings", {"input": text, "model": served_name})
        if status != 200:
            failures.add(f"{name}: probe request answered {status}: {str(body)[:300]}")
            return False
        usage = body.get("usage", {}).get("prompt_tokens")
        if usage != workload["tokens"][i]:
            failures.add(f"{name}: usage.prompt_tokens {usage} != known token count {workload['tokens'][i]} for text #{i}")
            return False
        vec = np.asarray(body["data"][0]["embedding"], np.float64)
        if ref is not None:
            cos = float(vec @ ref / (np.linalg.norm(vec) * np.linalg.norm(ref) + 1e-12))
            if cos < 0.999:
                failures.add(f"{name}: embedding of text #{i} differs from raw ONNX Runtime (cosine {cos:.5f})")
                return False
        checked += 1
    return checked


def ensure_wrk():
    path = shutil.which("wrk")
    if path:
        return path
    log("wrk not found: installing Debian's wrk (apt-get install -y wrk)")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True, env=env, timeout=600)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, timeout=600)
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk still not on PATH after apt-get install")
    return path


def run_wrk(wrk, base, bodies_file, connections, threads, seconds, path="/v1/embeddings", headers=None):
    """One wrk run with bench-load.lua; `headers` become its `Name: value` arguments after PATH."""
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "60s",
           "-s", LUA, base, "--", bodies_file, path, *[f"{k}: {v}" for k, v in (headers or {}).items()]]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=seconds + 120,
                       stdin=subprocess.DEVNULL)
    out = r.stdout.decode(errors="replace")
    line = next((l for l in out.splitlines() if l.startswith("BENCH_JSON ")), None)
    if r.returncode != 0 or line is None:
        raise RuntimeError(f"wrk exited {r.returncode}:\n{out[-2000:]}\n{r.stderr.decode(errors='replace')[-2000:]}")
    return json.loads(line[len("BENCH_JSON "):])


def merge_wrk(runs):
    """Consecutive wrk runs as one: counts add up; the latency percentiles are those of the runs'
    p1…p99 points pooled, each point weighted by its run's request count."""
    if len(runs) == 1:
        return runs[0]
    out = {k: sum(r[k] for r in runs) for k in ("duration_us", "requests", "bytes", "ok", "not_ok",
                                                 "prompt_tokens", "missing_usage")}
    out["errors"] = {k: sum(r["errors"][k] for r in runs) for k in runs[0]["errors"]}
    bad = next((r for r in runs if r["first_bad_status"]), runs[0])
    out["first_bad_status"], out["first_bad_body"] = bad["first_bad_status"], bad["first_bad_body"]
    points = sorted((p, r["requests"] / len(r["percentiles_us"])) for r in runs for p in r["percentiles_us"])
    total = sum(w for _, w in points) or 1.0

    def quantile(q):
        acc = 0.0
        for p, w in points:
            acc += w
            if acc >= q * total:
                return p
        return points[-1][0]

    lats = [r["latency_us"] for r in runs]
    out["latency_us"] = {"min": min(l["min"] for l in lats), "max": max(l["max"] for l in lats),
                         "mean": sum(l["mean"] * r["requests"] for l, r in zip(lats, runs)) / max(out["requests"], 1),
                         "p50": quantile(0.50), "p90": quantile(0.90), "p99": quantile(0.99),
                         "p999": max(l["p999"] for l in lats)}
    out["percentiles_us"] = [quantile(k / 100) for k in range(1, 100)]
    return out


def http_errors(res):
    e = res["errors"]
    return res["not_ok"] + e["connect"] + e["read"] + e["write"] + e["timeout"] + res["missing_usage"]


def summarize_wrk(res):
    secs = res["duration_us"] / 1e6
    lat = res["latency_us"]
    return {"requests_per_second": res["ok"] / secs, "tokens_per_second": res["prompt_tokens"] / secs,
            "requests": res["ok"], "tokens": res["prompt_tokens"], "duration_s": round(secs, 3),
            "p50_ms": lat["p50"] / 1000, "p90_ms": lat["p90"] / 1000, "p99_ms": lat["p99"] / 1000,
            "max_ms": lat["max"] / 1000, "mean_ms": lat["mean"] / 1000,
            "errors": {**res["errors"], "non_200": res["not_ok"], "missing_usage": res["missing_usage"]},
            "first_bad_status": res["first_bad_status"], "first_bad_body": res["first_bad_body"]}


def http_workload(args, wrk, name, workload, references, served_name, results_dir, failures, single,
                  before_single=None, after_segment=None):
    """One fresh server: probe, warm-up, timed run at args.connections in args.rounds segments
    (calling `after_segment(i)` after segment i, 0-based, while the server idles), peak RSS; on
    `single`, then one connection alone."""
    server = Server(args, os.path.join(results_dir, f"server-{name}.log"))
    out = {}
    try:
        t0 = time.perf_counter()
        server.wait_healthy(args.health_timeout)
        out["startup_s"] = round(time.perf_counter() - t0, 3)
        if not probe(server, served_name, workload, references, failures, name):
            return None
        rounds = max(1, args.rounds)
        segment = max(1, round(args.duration / rounds))
        log(f"{name}: warm-up {args.warmup} s, then {rounds} × {segment} s at {args.connections} connections")
        warm = run_wrk(wrk, server.base, workload["bodies_file"], args.connections, args.wrk_threads, args.warmup)
        if http_errors(warm):
            failures.add(f"{name}: {http_errors(warm)} HTTP errors in the warm-up {summarize_wrk(warm)['errors']}, "
                         f"first: {warm['first_bad_status']} {warm['first_bad_body'][:200]}")
            return None
        ours = lambda: server.cpu_seconds() + children_cpu_seconds()
        runs, loads, server_cpu, wrk_cpu = [], [], 0.0, 0.0
        for i in range(rounds):
            server.wait_idle()
            meter = LoadMeter(ours)
            server_cpu0, wrk_cpu0 = server.cpu_seconds(), children_cpu_seconds()
            runs.append(run_wrk(wrk, server.base, workload["bodies_file"], args.connections, args.wrk_threads, segment))
            loads.append(meter.stop())
            server_cpu += server.cpu_seconds() - server_cpu0
            wrk_cpu += children_cpu_seconds() - wrk_cpu0
            if after_segment:
                server.wait_idle()
                after_segment(i)
        res = merge_wrk(runs)
        wall = sum(l["wall_s"] for l in loads)
        load = {"wall_s": round(wall, 3)}
        for key in ("machine_cores_busy", "measured_cores", "other_cores"):
            load[key] = round(sum(l[key] * l["wall_s"] for l in loads) / wall, 2)
        load["server_cores"] = round(server_cpu / wall, 2)
        load["wrk_cores"] = round(wrk_cpu / wall, 2)
        mem = server.memory_kib()
        out.update(summarize_wrk(res))
        out["segments"] = [summarize_wrk(r) | {"load": l} for r, l in zip(runs, loads)] if rounds > 1 else []
        out["connections"] = args.connections
        out["peak_rss_mib"] = round(mem.get("VmHWM", 0) / 1024, 1)
        out["rss_after_mib"] = round(mem.get("VmRSS", 0) / 1024, 1)
        out["load"] = load
        mean_known = sum(workload["tokens"]) / len(workload["tokens"])
        out["usage_vs_known_mean"] = round(res["prompt_tokens"] / max(res["ok"] * mean_known, 1), 4)
        if http_errors(res):
            failures.add(f"{name}: {http_errors(res)} HTTP errors: {out['errors']} first: "
                         f"{res['first_bad_status']} {res['first_bad_body'][:200]}")
        if res["ok"] == 0:
            failures.add(f"{name}: no request completed")
        if single:
            server.wait_idle()
            if before_single:
                before_single()  # the raw single-input latency, right before quiver's
            log(f"single: 1 connection, warm-up 2 s, then {args.single_duration} s")
            run_wrk(wrk, server.base, workload["bodies_file"], 1, 1, 2)
            meter = LoadMeter(lambda: server.cpu_seconds() + children_cpu_seconds())
            res1 = run_wrk(wrk, server.base, workload["bodies_file"], 1, 1, args.single_duration)
            single_out = summarize_wrk(res1)
            single_out["load"] = meter.stop()
            if http_errors(res1):
                failures.add(f"single: {http_errors(res1)} HTTP errors: {single_out['errors']}")
            out["single"] = single_out
        if server.proc.poll() is not None:
            failures.add(f"{name}: quiver-embed exited with {server.proc.returncode} during the run:\n{server.tail()}")
        return out
    except Exception as e:  # noqa: BLE001 - reported as a failure, the run goes on
        failures.add(f"{name}: {e}")
        return None
    finally:
        server.stop()


# --------------------------------------------------------------------------------------------
# Report

def fmt_int(x):
    return "-" if x is None else f"{x:,.0f}"


def fmt_ms(x):
    return "-" if x is None else f"{x:.2f}"


def verdict(ok, noisy=False):
    return "-" if ok is None else ("PASS" if ok else "FAIL") + ("*" if noisy else "")


def print_report(report):
    w = report["workloads"]
    print()
    print(f"quiver-embed vs raw ONNX Runtime  ({report['host']['cpu']}, {report['host']['cores']} cores; "
          f"load average before {report['host']['loadavg_start'][0]:.2f}, after {report['host']['loadavg_end'][0]:.2f})")
    head = (f"{'workload':<9}{'tokens/text':>13}{'quiver tok/s':>14}{'raw tok/s':>12}{'ratio':>7}  {'≥0.90':<6}"
            f"{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'peak RSS':>10}{'other load':>12}")
    print(head)
    print("-" * len(head))
    for name, lo, hi in WORKLOADS:
        if name not in w:
            continue
        r = w[name]
        q, raw = r.get("quiver"), r.get("raw")
        other = []
        if q:
            other.append(f"{q['load']['other_cores']:.2f}")
        if raw:
            other.append(f"{raw['load']['other_cores']:.2f}")
        span = f"{lo}-{hi} ({r['mean_tokens']:.0f})"
        ratio = "-" if r.get("ratio") is None else f"{r['ratio']:.2f}"
        rss = f"{q['peak_rss_mib']:.0f} MiB" if q else "-"
        print(f"{name:<9}{span:>13}"
              f"{fmt_int(q and q['tokens_per_second']):>14}{fmt_int(raw and raw['tokens_per_second']):>12}"
              f"{ratio:>7}  {verdict(r.get('ratio_pass'), r.get('noisy')):<6}"
              f"{fmt_int(q and q['requests_per_second']):>9}{fmt_ms(q and q['p50_ms']):>9}{fmt_ms(q and q['p99_ms']):>9}"
              f"{rss:>10}{'/'.join(other) or '-':>12}")
    print("  (quiver: one input per request, wrk, "
          f"{report['config']['connections']} connections, {report['config']['duration_s']} s per workload; "
          f"{'in %d segments' % report['config']['rounds'] if report['config']['rounds'] > 1 else 'in one run'}; raw: in-process, batches of 32 sorted by length, measured before "
          "the HTTP run and after each segment, and averaged; other load = cores busy outside the measured processes, quiver/raw)")
    spread = [f"{name} {', '.join(f'{x:.2f}' for x in w[name]['round_ratios'])}"
              for name, _, _ in WORKLOADS if w.get(name, {}).get("round_ratios")]
    if spread:
        print("  each segment against the raw measurements on either side of it: " + "; ".join(spread))
    s = report.get("single")
    if s:
        q, raw = s.get("quiver"), s.get("raw")
        line = "single short request (1 connection): "
        line += f"quiver p50 {fmt_ms(q and q['p50_ms'])} ms, p99 {fmt_ms(q and q['p99_ms'])} ms; "
        line += f"raw ORT single input p50 {fmt_ms(raw and raw['p50_ms'])} ms, p99 {fmt_ms(raw and raw['p99_ms'])} ms"
        if s.get("overhead_ms") is not None:
            line += f"; overhead {s['overhead_ms']:+.2f} ms (target ≤ +{TARGET_SINGLE_MS:.0f} ms): {verdict(s['pass'], s.get('noisy'))}"
        print(line)
    t = report.get("tokenizer")
    if t:
        for name, _, _ in WORKLOADS:
            r = t.get(name)
            if not r:
                continue
            q, hf = r.get("quiver"), r.get("hf")
            line = (f"tokenizer {name:<7}: quiver-bench ({q['threads'] if q else '?'} threads) "
                    f"{fmt_int(q and q['tokens_per_second'])} tok/s vs HF encode_batch {fmt_int(hf and hf['tokens_per_second'])} tok/s")
            if r.get("ratio") is not None:
                line += f" = {r['ratio']:.2f}x (target ≥ 1.00): {verdict(r['pass'], r.get('noisy'))}"
            print(line)
    if any(x.get("noisy") for x in [*w.values(), s or {}, *(t or {}).values()]):
        print(f"* measured while other processes kept ≥ {NOISY_CORES} cores busy on average (column 'other load', "
              "JSON load.other_cores): that figure is unreliable, rerun on a quiet machine")
    if report["failures"]:
        print("\nBROKEN:")
        for f in report["failures"]:
            print("  - " + f.splitlines()[0])
    print()


# --------------------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True, help="quiver-embed release binary")
    p.add_argument("--model", required=True, help="model directory (tokenizer.json, model.onnx)")
    p.add_argument("--onnxruntime", required=True, help="libonnxruntime.so for quiver-embed")
    p.add_argument("--quiver-bench", default=None,
                   help="quiver-bench binary (default: `swift build -c release --product quiver-bench`, then use it)")
    p.add_argument("--workloads", default="short,medium,long")
    p.add_argument("--parts", default="raw,tokenizer,http", help="comma-separated subset of raw,tokenizer,http")
    p.add_argument("--texts", type=int, default=2000, help="texts per workload")
    p.add_argument("--seed", type=int, default=20240611)
    p.add_argument("--raw-min-seconds", type=float, default=4.0, help="repeat raw passes until this long")
    p.add_argument("--raw-max-passes", type=int, default=10)
    p.add_argument("--raw-max-tokens", type=int, default=120_000,
                   help="tokens in one raw pass: the first texts of a workload up to this many")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--wrk-threads", type=int, default=1)
    p.add_argument("--duration", type=int, default=15, help="seconds of the timed HTTP run per workload")
    p.add_argument("--rounds", type=int, default=3,
                   help="segments of the timed HTTP run, with the raw ceiling measured again after each")
    p.add_argument("--warmup", type=int, default=3, help="seconds of HTTP warm-up per workload")
    p.add_argument("--single-duration", type=int, default=8)
    p.add_argument("--tokenizer-seconds", type=float, default=3.0)
    p.add_argument("--tokenizer-threads", type=int, default=0, help="quiver-bench --threads (0: its default)")
    p.add_argument("--health-timeout", type=float, default=120.0)
    p.add_argument("--server-arg", action="append", default=[],
                   help="extra quiver-embed flag (repeatable), e.g. --server-arg=--max-batch-tokens=8192")
    p.add_argument("--out", default=os.path.join(ROOT, "bench-results", "latest.json"))
    p.add_argument("--quick", action="store_true", help="smoke run: 200 texts, 3 s runs")
    args = p.parse_args()
    if args.quick:
        args.texts, args.duration, args.warmup, args.single_duration, args.rounds = 200, 3, 1, 2, 1
        args.raw_min_seconds, args.tokenizer_seconds = 0.5, 1.0

    names = [n.strip() for n in args.workloads.split(",") if n.strip()]
    unknown = set(names) - {n for n, _, _ in WORKLOADS}
    parts = {x.strip() for x in args.parts.split(",") if x.strip()}
    if unknown or not parts <= {"raw", "tokenizer", "http"}:
        p.error(f"unknown workload/part: {sorted(unknown) or sorted(parts)}")
    args.model = os.path.abspath(args.model)
    args.binary = os.path.abspath(args.binary)
    args.onnxruntime = os.path.abspath(args.onnxruntime)
    tokenizer_path = os.path.join(args.model, "tokenizer.json")
    model_path = os.path.join(args.model, "model.onnx")
    if not os.path.exists(model_path):
        model_path = os.path.join(args.model, "onnx", "model.onnx")
    served_name = os.path.basename(args.model.rstrip("/"))
    results_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(results_dir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="quiver-bench-")

    failures = Failures()
    started = time.time()
    report = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": {"cpu": cpu_model(), "cores": CORES, "loadavg_start": os.getloadavg()},
        "config": {"texts": args.texts, "seed": args.seed, "connections": args.connections, "duration_s": args.duration, "rounds": args.rounds,
                   "warmup_s": args.warmup, "batch": BATCH, "binary": args.binary, "model": model_path,
                   "server_args": args.server_arg, "parts": sorted(parts)},
        "git": git_describe(),
        "targets": {"ratio": TARGET_RATIO, "single_overhead_ms": TARGET_SINGLE_MS, "tokenizer_ratio": TARGET_TOKENIZER},
        "workloads": {}, "failures": failures.items,
    }

    try:
        import onnxruntime
        import tokenizers
        report["versions"] = {"onnxruntime": onnxruntime.__version__, "tokenizers": tokenizers.__version__,
                              "numpy": np.__version__}

        # --- texts
        tok = load_tokenizer(tokenizer_path)
        t0 = time.perf_counter()
        all_texts = make_texts(tok, args.texts, args.seed)
        texts = {n: all_texts[n] for n in names}
        write_work_files(texts, workdir, served_name)
        log(f"texts: {args.texts} per workload in {time.perf_counter() - t0:.1f} s ({workdir})")
        for name in names:
            wl = texts[name]
            report["workloads"][name] = {"token_range": wl["range"], "texts": len(wl["texts"]),
                                         "mean_tokens": sum(wl["tokens"]) / len(wl["tokens"]),
                                         "example": wl["texts"][0]}

        # --- tokenizer
        if "tokenizer" in parts:
            tk = report["tokenizer"] = {}
            try:
                qb = args.quiver_bench or build_quiver_bench()
            except Exception as e:  # noqa: BLE001
                failures.add(f"tokenizer: {e}")
                qb = None
            for name in names:
                entry = tk[name] = {}
                entry["hf"] = hf_tokenizer_throughput(tok, texts[name]["texts"], args.tokenizer_seconds)
                if qb is None:
                    continue
                try:
                    q = quiver_tokenizer_throughput(qb, tokenizer_path, texts[name]["texts_file"],
                                                    args.tokenizer_threads, args.tokenizer_seconds)
                except Exception as e:  # noqa: BLE001
                    failures.add(f"tokenizer {name}: {e}")
                    continue
                entry["quiver"] = q
                if q.get("tokens_per_pass") != entry["hf"]["tokens_per_pass"]:
                    failures.add(f"tokenizer {name}: quiver-bench counted {q.get('tokens_per_pass')} tokens per pass, "
                                 f"HF {entry['hf']['tokens_per_pass']}")
                entry["ratio"] = q["tokens_per_second"] / entry["hf"]["tokens_per_second"]
                entry["pass"] = entry["ratio"] >= TARGET_TOKENIZER
                log(f"tokenizer {name}: quiver {q['tokens_per_second']:,.0f} tok/s, "
                    f"HF {entry['hf']['tokens_per_second']:,.0f} tok/s")

        # --- per workload: the raw ceiling, then quiver-embed right after it (the machine is shared:
        # measuring the two back to back keeps them under the same background load)
        model = RawModel(model_path) if ("raw" in parts or "http" in parts) else None
        wrk = None
        if "http" in parts:
            wrk = ensure_wrk()
            if not os.access(args.binary, os.X_OK):
                raise RuntimeError(f"quiver-embed binary not found: {args.binary}")

        def raw_single():
            r = raw_single_latency(model, tok, texts["short"]["texts"], 3.0, 1000)
            report.setdefault("single", {})["raw"] = r
            log(f"raw ORT single short input: p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms, "
                f"other load {r['load']['other_cores']}")

        for name in names:
            wl = texts[name]
            raws = []  # the raw ceiling, measured before the HTTP run and after each of its segments
            # a pass holds at most --raw-max-tokens tokens (the first texts), so that long stays short
            count = min(len(wl["texts"]), max(4 * BATCH, int(args.raw_max_tokens / report["workloads"][name]["mean_tokens"])))

            def measure_raw(when, name=name, wl=wl, count=count, raws=raws):
                r = raw_throughput(model, tok, wl["texts"][:count], args.raw_min_seconds, args.raw_max_passes)
                raws.append(r)
                log(f"  raw ORT {name} {when}: {r['tokens_per_second']:,.0f} tok/s ({r['passes']} passes, "
                    f"{r['wall_s']} s, other load {r['load']['other_cores']})")

            if "raw" in parts:
                log(f"raw ORT {name}: {count} texts per pass, batches of {BATCH}")
                measure_raw("before")
                report["workloads"][name]["raw"] = ceiling(raws)
            if "http" in parts:
                # reference vectors for the probe's check of the server's answers
                vecs = model.embed([tok.encode(wl["texts"][i]).ids for i in range(8)])
                references = [(i, vecs[i].astype(np.float64)) for i in range(8)]
                before_single = raw_single if ("raw" in parts and name == "short") else None
                after_segment = (lambda i: measure_raw(f"after segment {i + 1}")) if raws else None
                out = http_workload(args, wrk, name, wl, references, served_name, results_dir, failures,
                                    single=(name == "short"), before_single=before_single,
                                    after_segment=after_segment)
                if out is None:
                    continue
                single = out.pop("single", None)
                report["workloads"][name]["quiver"] = out
                log(f"  {name}: {out['tokens_per_second']:,.0f} tok/s, {out['requests_per_second']:,.0f} req/s, "
                    f"p50 {out['p50_ms']:.1f} ms, p99 {out['p99_ms']:.1f} ms, peak RSS {out['peak_rss_mib']} MiB, "
                    f"server {out['load']['server_cores']} cores, wrk {out['load']['wrk_cores']}, other {out['load']['other_cores']}")
                if single:
                    report.setdefault("single", {})["quiver"] = single
                if raws:
                    # The machine's speed drifts by 5-10% within a minute (it is shared), so the
                    # ceiling is the mean of raw measurements interleaved with the HTTP segments.
                    raw = report["workloads"][name]["raw"] = ceiling(raws)
                    segments = out["segments"] or [out]
                    rounds = [s["tokens_per_second"] / ((raws[i]["tokens_per_second"] + raws[i + 1]["tokens_per_second"]) / 2)
                              for i, s in enumerate(segments) if i + 1 < len(raws)]
                    report["workloads"][name]["round_ratios"] = [round(x, 3) for x in rounds]
                    log(f"  {name}: raw ceiling {raw['tokens_per_second']:,.0f} tok/s (mean of {len(raws)}); "
                        f"per-segment ratios {', '.join(f'{x:.2f}' for x in rounds)}")
            elif "raw" in parts and name == "short":
                raw_single()
        del model
    except Exception as e:  # noqa: BLE001
        failures.add(f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    # --- verdicts; "noisy" when other processes kept NOISY_CORES or more busy during either side
    def noisy(*sides):
        return any(x and x.get("load", {}).get("other_cores", 0) >= NOISY_CORES for x in sides)

    for name in names:
        r = report["workloads"].get(name, {})
        if r.get("quiver") and r.get("raw"):
            r["ratio"] = r["quiver"]["tokens_per_second"] / r["raw"]["tokens_per_second"]
            r["ratio_pass"] = r["ratio"] >= TARGET_RATIO
            r["noisy"] = noisy(r["quiver"], r["raw"])
    s = report.get("single")
    if s and s.get("quiver") and s.get("raw"):
        s["overhead_ms"] = s["quiver"]["p50_ms"] - s["raw"]["p50_ms"]
        s["pass"] = s["overhead_ms"] <= TARGET_SINGLE_MS
        s["noisy"] = noisy(s["quiver"], s["raw"])
    for r in report.get("tokenizer", {}).values():
        if r.get("ratio") is not None:
            r["noisy"] = noisy(r.get("quiver"), r.get("hf"))
    report["host"]["loadavg_end"] = os.getloadavg()
    report["wall_s"] = round(time.time() - started, 1)

    with open(args.out + ".tmp", "w") as f:
        json.dump(report, f, indent=2, default=float)
    os.replace(args.out + ".tmp", args.out)
    print_report(report)
    print(f"figures: {os.path.relpath(args.out, os.getcwd())}   ({report['wall_s']:.0f} s)")
    return 1 if failures.items else 0


def git_describe():
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, timeout=10).stdout.decode().strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=10).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


if __name__ == "__main__":
    sys.exit(main())
