#!/usr/bin/env python3
"""Check an exported sentence-transformers ONNX model against reference embeddings.

    python hack/check-onnx.py MODEL_DIR ONNX_PATH REFERENCE_JSON [--no-bench]

REFERENCE_JSON holds {"cases": [{"ids": [...], "embedding": [...]}, ...]}: token ids
(with [CLS]/[SEP], already truncated) and the sentence-transformers embedding (mean
pooling over the attention mask, then L2 normalisation).

Checks (exit status 1 if any fails):
  * every case run alone (attention_mask ones, token_type_ids zeros): cosine to the
    reference >= 0.99999
  * all cases as one right-padded batch (mask 0 on padding): cosine to the single runs
    >= 0.999999
Then reports ORT CPU throughput for a batch of 32 x 64 tokens and which fused
contrib ops ORT's graph optimizer produced (unless --no-bench).
"""

import collections
import json
import os
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort

MIN_COS_REFERENCE = 0.99999
MIN_COS_PADDED = 0.999999


def mean_pool_normalize(hidden, mask):
    m = mask[..., None].astype(np.float64)
    summed = (hidden.astype(np.float64) * m).sum(axis=1)
    pooled = summed / np.maximum(m.sum(axis=1), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


def fmt(cos):
    return f"{cos:.10f} (1-cos {1.0 - cos:.1e})"


def cosine(a, b):
    a = np.asarray(a, np.float64)
    b = np.asarray(b, np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def make_session(path, level=ort.GraphOptimizationLevel.ORT_ENABLE_ALL, threads=0, optimized_path=None):
    so = ort.SessionOptions()
    so.graph_optimization_level = level
    if threads:
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
    if optimized_path:
        so.optimized_model_filepath = optimized_path
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def run(sess, ids, mask):
    feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
    return sess.run(["last_hidden_state"], feeds)[0]


def check_pooling_config(model_dir):
    path = os.path.join(model_dir, "1_Pooling", "config.json")
    if not os.path.isfile(path):
        return
    with open(path) as f:
        pc = json.load(f)
    if not pc.get("pooling_mode_mean_tokens", False):
        print(f"note: {path} does not select mean pooling; this check assumes mean pooling", file=sys.stderr)


def op_histogram(model_path):
    import onnx

    m = onnx.load(model_path, load_external_data=False)
    return collections.Counter(
        (n.domain + "." if n.domain not in ("", "ai.onnx") else "") + n.op_type for n in m.graph.node)


def bench(sess, ids, mask, seconds=3.0):
    run(sess, ids, mask)  # warm-up
    run(sess, ids, mask)
    times = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end or len(times) < 5:
        t = time.perf_counter()
        run(sess, ids, mask)
        times.append(time.perf_counter() - t)
    return float(np.median(times)), len(times)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = {a for a in argv[1:] if a.startswith("--")}
    if len(args) != 3 or flags - {"--no-bench"}:
        print("usage: python hack/check-onnx.py MODEL_DIR ONNX_PATH REFERENCE_JSON [--no-bench]", file=sys.stderr)
        return 2
    model_dir, onnx_path, ref_path = args
    check_pooling_config(model_dir)
    with open(ref_path) as f:
        cases = json.load(f)["cases"]
    print(f"onnxruntime {ort.__version__}, model {onnx_path}, {len(cases)} reference cases")

    sess = make_session(onnx_path)
    ok = True

    # --- single runs vs the reference
    singles = []
    cos_ref = []
    max_abs = 0.0
    for c in cases:
        ids = np.asarray(c["ids"], np.int64)[None, :]
        mask = np.ones_like(ids)
        emb = mean_pool_normalize(run(sess, ids, mask), mask)[0]
        ref = np.asarray(c["embedding"], np.float64)
        singles.append(emb)
        cos_ref.append(cosine(emb, ref))
        max_abs = max(max_abs, float(np.abs(emb - ref).max()))
    worst = int(np.argmin(cos_ref))
    print(f"single runs vs reference: min cosine {fmt(min(cos_ref))} (case {cases[worst].get('id', worst)}, "
          f"{len(cases[worst]['ids'])} tokens), max |diff| {max_abs:.3g}")
    if min(cos_ref) < MIN_COS_REFERENCE:
        bad = [(cases[i].get("id", i), round(v, 7)) for i, v in enumerate(cos_ref) if v < MIN_COS_REFERENCE]
        print(f"FAIL: {len(bad)} case(s) below {MIN_COS_REFERENCE}: {bad[:10]}")
        ok = False

    # --- the graph as written (no ORT fusions) must agree too
    plain = make_session(onnx_path, level=ort.GraphOptimizationLevel.ORT_DISABLE_ALL)
    cos_plain = []
    for c in cases:
        ids = np.asarray(c["ids"], np.int64)[None, :]
        mask = np.ones_like(ids)
        cos_plain.append(cosine(mean_pool_normalize(run(plain, ids, mask), mask)[0], c["embedding"]))
    print(f"single runs, ORT_DISABLE_ALL (graph as written) vs reference: min cosine {fmt(min(cos_plain))}")
    if min(cos_plain) < MIN_COS_REFERENCE:
        print(f"FAIL: unoptimised graph below {MIN_COS_REFERENCE} against the reference")
        ok = False

    # --- one right-padded batch vs the single runs
    longest = max(len(c["ids"]) for c in cases)
    ids = np.zeros((len(cases), longest), np.int64)
    mask = np.zeros_like(ids)
    for i, c in enumerate(cases):
        ids[i, : len(c["ids"])] = c["ids"]
        mask[i, : len(c["ids"])] = 1
    batch = mean_pool_normalize(run(sess, ids, mask), mask)
    cos_pad = [cosine(batch[i], singles[i]) for i in range(len(cases))]
    cos_pad_ref = [cosine(batch[i], cases[i]["embedding"]) for i in range(len(cases))]
    print(f"padded batch {ids.shape[0]}x{ids.shape[1]} vs single runs: min cosine {fmt(min(cos_pad))}; "
          f"vs reference: min cosine {fmt(min(cos_pad_ref))}")
    if min(cos_pad) < MIN_COS_PADDED:
        print(f"FAIL: padded batch disagrees with single runs (min cosine {fmt(min(cos_pad))} < {MIN_COS_PADDED})")
        ok = False
    if min(cos_pad_ref) < MIN_COS_REFERENCE:
        print(f"FAIL: padded batch below {MIN_COS_REFERENCE} against the reference")
        ok = False

    if "--no-bench" not in flags:
        # --- fusions ORT applied
        with tempfile.TemporaryDirectory() as tmp:
            opt_path = os.path.join(tmp, "optimized.onnx")
            make_session(onnx_path, level=ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED, optimized_path=opt_path)
            before = op_histogram(onnx_path)
            after = op_histogram(opt_path)
        print(f"graph: {sum(before.values())} nodes before ORT optimisation, "
              f"{sum(after.values())} after (ORT_ENABLE_EXTENDED)")
        print("  after: " + ", ".join(f"{k}x{v}" for k, v in sorted(after.items())))
        fused = {k: v for k, v in after.items() if k.startswith("com.microsoft.")}
        # (hack/export-onnx.py's default form writes these itself, with LayerNormalization in
        # place of SkipLayerNormalization, which is slower on CPU; the note is for other files.)
        for want in ("Attention", "EmbedLayerNormalization"):
            if f"com.microsoft.{want}" not in fused:
                print(f"  note: ORT did not produce com.microsoft.{want}")

        # --- throughput, batch 32 x 64 tokens
        rng = np.random.default_rng(0)
        b_ids = rng.integers(1000, 30000, size=(32, 64), dtype=np.int64)
        b_ids[:, 0], b_ids[:, -1] = 101, 102
        b_mask = np.ones_like(b_ids)
        configs = [
            ("default threads, ORT_ENABLE_ALL", ort.GraphOptimizationLevel.ORT_ENABLE_ALL, 0),
            ("1 thread, ORT_ENABLE_ALL", ort.GraphOptimizationLevel.ORT_ENABLE_ALL, 1),
            ("default threads, ORT_ENABLE_BASIC (no fusions)", ort.GraphOptimizationLevel.ORT_ENABLE_BASIC, 0),
        ]
        print(f"throughput, batch 32x64 (cpu count {os.cpu_count()}):")
        for label, level, threads in configs:
            s = make_session(onnx_path, level=level, threads=threads)
            med, n = bench(s, b_ids, b_mask)
            print(f"  {label}: median {med * 1e3:.1f} ms/batch, {32 / med:.0f} seq/s ({n} runs)")

    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
