#!/usr/bin/env python3
"""EmbeddedKube benchmark for `make bench`.

Starts `quiver apiserver` (release build) on a fresh data directory and measures, with
`quiver-bench kube-creates` (KubeRuntime's client and informer):
  - creates per second for 2,000 custom resources from 8 parallel clients,
  - how long after the last acknowledged create an informer (list + watch) has seen them all,
  - the latency of listing all 2,000 (p50/p95 of 20 lists, body read in full).
Then durability: `quiver-bench kube-durability` writes from 4 clients, the server is killed with
SIGKILL mid-stream, restarted on the same directory, and every acknowledged create must be there.

Reference (issue 4): a real kube-apiserver with etcd 3.6 on this kind of machine did 1,800
creates/s and listed 2,000 in 33 ms. Targets: >= 1,500 creates/s, informer caught up within 1 s of
the last create, list <= 50 ms, no acknowledged write lost across kill -9.
Writes the figures to bench-results/kube.json.
"""
import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(quiver, data_dir):
    kubeconfig = os.path.join(data_dir, "kubeconfig")
    if os.path.exists(kubeconfig):
        os.remove(kubeconfig)
    log = open(os.path.join(data_dir, "server.log"), "ab")
    proc = subprocess.Popen([quiver, "apiserver", "--data-dir", data_dir, "--port", str(free_port()), "--log-level", "warning"],
                            stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("quiver apiserver exited with %s; see %s/server.log" % (proc.returncode, data_dir))
        if os.path.exists(kubeconfig) and os.path.getsize(kubeconfig) > 0:
            return proc, kubeconfig
        time.sleep(0.05)
    proc.kill()
    sys.exit("quiver apiserver did not write its kubeconfig within 30 s")


def run_json(cmd, timeout):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    if not lines:
        sys.exit("%s failed (%s): %s %s" % (" ".join(cmd[:2]), out.returncode, out.stdout[-2000:], out.stderr[-2000:]))
    return json.loads(lines[-1]), out.returncode


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quiver", required=True)
    ap.add_argument("--quiver-bench", required=True)
    ap.add_argument("--objects", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--out", default="bench-results/kube.json")
    ap.add_argument("--manifests", default="manifests")
    ap.add_argument("--templates", default="templates")
    args = ap.parse_args()

    data_dir = tempfile.mkdtemp(prefix="quiver-kube-bench-")
    results = {}
    proc, kubeconfig = start_server(args.quiver, data_dir)
    try:
        creates, _ = run_json([args.quiver_bench, "kube-creates", "--kubeconfig", kubeconfig, "--objects", str(args.objects),
                               "--clients", str(args.clients)], timeout=300)
        results["creates"] = creates

        # Durability: write, kill -9 mid-stream, restart, verify every acknowledged create.
        acked = os.path.join(data_dir, "acked.txt")
        writer = subprocess.Popen([args.quiver_bench, "kube-durability", "--kubeconfig", kubeconfig, "--acked", acked],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        writer.stdout.readline()  # "writing"
        time.sleep(1.5)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        try:
            writer.wait(timeout=60)
        except subprocess.TimeoutExpired:
            writer.kill()
        proc, kubeconfig = start_server(args.quiver, data_dir)
        verify, code = run_json([args.quiver_bench, "kube-durability", "--kubeconfig", kubeconfig, "--acked", acked, "--verify"], timeout=120)
        results["durability"] = verify
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()

    # The operator: 500 quiver Deployments at once against EmbeddedKube, both in one process.
    operator, _ = run_json([args.quiver_bench, "operator-renders", "--manifests", args.manifests, "--templates", args.templates,
                            "--deployments", "500"], timeout=600)
    results["operator"] = operator

    c = results["creates"]
    d = results["durability"]
    o = results["operator"]
    checks = [
        ("creates/s (2,000 CRs, 8 clients)", "%.0f" % c["creates_per_second"], ">= 1500 (kube-apiserver+etcd: 1800)", c["creates_per_second"] >= 1500),
        ("informer caught up after last create", "%.1f ms" % (c["informer_caught_up_after_last_create_seconds"] * 1000), "<= 1 s",
         0 <= c["informer_caught_up_after_last_create_seconds"] <= 1.0),
        ("list all 2,000 (p50 / p95)", "%.1f / %.1f ms" % (c["list_p50_ms"], c["list_p95_ms"]), "p50 <= 50 ms (kube-apiserver: 33 ms)",
         c["list_p50_ms"] <= 50 and c["listed_items"] >= args.objects),
        ("acknowledged writes kept across kill -9", "%d of %d" % (d["acked"] - d["missing"], d["acked"]), "all", d["missing"] == 0 and d["acked"] > 0),
        ("operator: 500 Deployments, create→rendered p50 / p99", "%.0f / %.0f ms" % (o["create_to_rendered_p50_ms"], o["create_to_rendered_p99_ms"]),
         "p50 <= 100 ms", o["create_to_rendered_p50_ms"] <= 100 and o["rendered"] == o["deployments"]),
        ("operator: reconciles per second", "%.0f" % o["reconciles_per_second"], "(reported)", True),
    ]
    print("\nEmbeddedKube (quiver apiserver, release build, SQLite WAL) and the operator")
    for name, value, target, ok in checks:
        print("  %-42s %-16s target %-38s %s" % (name, value, target, "PASS" if ok else "FAIL"))
    results["pass"] = all(ok for *_, ok in checks)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print("  figures in %s" % args.out)
    subprocess.run(["rm", "-rf", data_dir])


if __name__ == "__main__":
    main()
