#!/usr/bin/env python3
"""`make bench-gateway`: quiver-embed through Quiver's inference gateway next to quiver-embed direct.

    .cache/venv/bin/python hack/bench-gateway.py --quiver .build/release/quiver \\
        --embed .build/release/quiver-embed --model .cache/models/all-MiniLM-L6-v2 \\
        --onnxruntime .cache/onnxruntime/lib/libonnxruntime.so.1.31.1 \\
        --manifests manifests --templates templates

What it does (everything on 127.0.0.1, every wait bounded in time, only processes it started are
stopped, by PID; the temporary directory is removed at the end):

1. quiver-embed on the model (waits for /health; the served name is read from /v1/models).
2. `quiver apiserver` on a fresh data directory; with kubectl: the quiver CRDs, the default
   ResourcePlans and the shipped ServingTemplates; namespace `bench`, labelled as a resource group.
3. A local-mode token (`quiver token generate --user bench --group system:masters`) and
   `quiver operator --token-file ... --gateway-upstream http://127.0.0.1:<embed port>`: the gateway
   sends every deployment's requests to the quiver-embed started in 1.
4. Through the REST API: an artifact, a configuration (quiver-embed-cpu) and a deployment; there is
   no kubelet, so the script marks the apps Deployment available itself and waits for RUNNING.
5. Bodies: bench.py's "medium" workload (48-80 tokens per text, one input per request).
6. wrk (hack/bench-load.lua), 64 connections: direct, gateway, direct, gateway, each after a
   warm-up. tokens/s sums usage.prompt_tokens of the answers. Ratio = mean gateway tokens/s ÷ mean
   direct tokens/s (target >= 0.95); added p50 = mean gateway p50 − mean direct p50. The CPU the
   operator (gateway) process used during the timed runs is recorded to explain the ratio.

Prints a table with PASS/FAIL and writes bench-results/gateway.json. Exits 0 when it ran through
(a missed target included), 1 when something broke (a process did not start, HTTP errors, ...).
"""
import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402  (TextGenerator, write_work_files, ensure_wrk, LoadMeter, ...)

TARGET_RATIO = 0.95
NAMESPACE = "bench"
WORKLOAD = ("medium", 48, 80)  # as bench.py's; its texts use seed + 1000 * index in bench.WORKLOADS
CRDS = ["servingtemplates", "configurations", "deployments", "artifacts", "resourceplans"]


def log(msg):
    print(f"[bench-gateway] {msg}", file=sys.stderr, flush=True)


class Broken(Exception):
    pass


class Proc(bench.Proc):
    failure = Broken


def wait_until(what, timeout, probe, procs=(), interval=0.1):
    """Calls probe() until it returns a true value (returned) or timeout seconds pass (Broken)."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        for p in procs:
            p.check_alive()
        try:
            v = probe()
            if v:
                return v
        except Exception as e:  # noqa: BLE001
            last = e
        time.sleep(interval)
    raise Broken(f"{what}: not within {timeout} s" + (f" (last error: {last})" if last else ""))


def http_get(url, timeout=3):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.status, r.read()


class API:
    """The control-plane REST API with a bearer token and a resource group."""

    def __init__(self, base, token, group):
        self.base, self.token, self.group = base, token, group

    def headers(self):
        return {"Authorization": f"Bearer {self.token}", "AI-Resource-Group": self.group}

    def call(self, method, path, body=None, timeout=30):
        data = None if body is None else json.dumps(body).encode()
        headers = self.headers()
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, raw = r.status, r.read()
        except urllib.error.HTTPError as e:
            status, raw = e.code, e.read()
        text = raw.decode(errors="replace")
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, text

    def expect(self, method, path, body, statuses):
        status, out = self.call(method, path, body)
        if status not in statuses:
            raise Broken(f"{method} {path} answered {status} (expected {statuses}): {str(out)[:500]}")
        return out


def kubectl(kubeconfig, *args, timeout=60, check=True, input=None):
    env = {**os.environ, "KUBECONFIG": kubeconfig}
    r = subprocess.run(["kubectl", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                       timeout=timeout, input=(input or "").encode())
    out = r.stdout.decode(errors="replace")
    if check and r.returncode != 0:
        raise Broken(f"kubectl {' '.join(args)} exited {r.returncode}: {out[-1500:]}")
    return r.returncode, out


def run_wrk(wrk, base, bodies_file, path, headers, connections, threads, seconds):
    """bench.run_wrk with a route and extra headers; its failures as Broken."""
    try:
        return bench.run_wrk(wrk, base, bodies_file, connections, threads, seconds, path=path, headers=headers)
    except RuntimeError as e:
        raise Broken(str(e))


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else None


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quiver", required=True, help="release `quiver` binary")
    p.add_argument("--embed", required=True, help="release `quiver-embed` binary")
    p.add_argument("--model", required=True, help="model directory (tokenizer.json, model.onnx)")
    p.add_argument("--onnxruntime", required=True, help="libonnxruntime.so for quiver-embed")
    p.add_argument("--manifests", default=os.path.join(ROOT, "manifests"))
    p.add_argument("--templates", default=os.path.join(ROOT, "templates"))
    p.add_argument("--duration", type=int, default=15, help="seconds of each timed wrk run")
    p.add_argument("--warmup", type=int, default=3, help="seconds of wrk warm-up before each timed run")
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--wrk-threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=2, help="direct+gateway pairs")
    p.add_argument("--texts", type=int, default=2000)
    p.add_argument("--seed", type=int, default=20240611)
    p.add_argument("--results", default=os.path.join(ROOT, "bench-results", "gateway.json"))
    args = p.parse_args()
    for a in ("quiver", "embed", "model", "onnxruntime", "manifests", "templates", "results"):
        setattr(args, a, os.path.abspath(getattr(args, a)))
    for b in (args.quiver, args.embed):
        if not os.access(b, os.X_OK):
            p.error(f"not an executable: {b}")
    if not shutil.which("kubectl"):
        p.error("kubectl not found on PATH")
    os.makedirs(os.path.dirname(args.results), exist_ok=True)

    # SIGTERM (e.g. from make) ends the run through the finally below, which stops what was started
    def on_sigterm(*_):
        raise KeyboardInterrupt()
    signal.signal(signal.SIGTERM, on_sigterm)

    tmp = tempfile.mkdtemp(prefix="quiver-bench-gateway-")
    procs = {}
    failures = []
    started = time.time()
    report = {
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "host": {"cpu": bench.cpu_model(), "cores": bench.CORES, "loadavg_start": os.getloadavg()},
        "config": {"connections": args.connections, "duration_s": args.duration, "warmup_s": args.warmup,
                   "rounds": args.rounds, "wrk_threads": args.wrk_threads, "texts": args.texts,
                   "workload": {"name": WORKLOAD[0], "token_range": [WORKLOAD[1], WORKLOAD[2]]},
                   "quiver": args.quiver, "embed": args.embed, "model": args.model},
        "git": bench.git_describe(),
        "target": {"ratio": TARGET_RATIO},
        "runs": [], "failures": failures,
    }
    try:
        wrk = bench.ensure_wrk()

        # --- 1. quiver-embed
        embed_port = bench.free_port()
        embed_base = f"http://127.0.0.1:{embed_port}"
        procs["embed"] = Proc("quiver-embed", [args.embed, "--model-id", args.model, "--onnxruntime-library",
                                               args.onnxruntime, "--hostname", "127.0.0.1", "--port", str(embed_port)],
                              os.path.join(tmp, "embed.log"))
        t0 = time.perf_counter()
        wait_until("quiver-embed /health", 120, lambda: http_get(embed_base + "/health")[0] == 200, [procs["embed"]])
        _, raw = http_get(embed_base + "/v1/models")
        models = [m["id"] for m in json.loads(raw).get("data", [])]
        if not models:
            raise Broken(f"quiver-embed /v1/models lists no model: {raw[:300]!r}")
        served_name = models[0]
        log(f"quiver-embed up on :{embed_port} in {time.perf_counter() - t0:.1f} s, serving {served_name!r}")

        # --- 2. quiver apiserver, CRDs, plans, templates, the namespace
        data_dir = os.path.join(tmp, "kube")
        os.makedirs(data_dir)
        kubeconfig = os.path.join(data_dir, "kubeconfig")
        procs["apiserver"] = Proc("quiver apiserver", [args.quiver, "apiserver", "--data-dir", data_dir, "--port",
                                                       str(bench.free_port()), "--log-level", "warning"],
                                  os.path.join(tmp, "apiserver.log"))
        wait_until("quiver apiserver (kubeconfig + kubectl version)", 60,
                   lambda: os.path.exists(kubeconfig) and os.path.getsize(kubeconfig) > 0
                   and kubectl(kubeconfig, "version", timeout=10, check=False)[0] == 0,
                   [procs["apiserver"]], interval=0.2)
        kubectl(kubeconfig, "apply", "-f", os.path.join(args.manifests, "crd"))
        for crd in CRDS:
            kubectl(kubeconfig, "wait", "--for", "condition=established", f"crd/{crd}.quiver.dev", "--timeout=30s", timeout=45)
        kubectl(kubeconfig, "apply", "-f", os.path.join(args.manifests, "resourceplans", "default.yaml"),
                "-f", args.templates)
        # the resource group: a namespace with the label, in one apply
        kubectl(kubeconfig, "apply", "-f", "-", input=json.dumps({
            "apiVersion": "v1", "kind": "Namespace",
            "metadata": {"name": NAMESPACE, "labels": {"quiver.dev/resource-group": "true"}}}))
        log("apiserver ready: CRDs, resource plans, templates, namespace bench")

        # --- 3. token, operator with the API and gateway
        r = subprocess.run([args.quiver, "token", "generate", "--user", "bench", "--group", "system:masters"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=30, stdin=subprocess.DEVNULL)
        lines = r.stdout.decode().splitlines()
        if r.returncode != 0 or len(lines) < 2:
            raise Broken(f"quiver token generate exited {r.returncode}: {r.stdout.decode()} {r.stderr.decode()}")
        token = lines[0].strip()
        token_file = os.path.join(tmp, "tokens")
        with open(token_file, "w") as f:
            f.write(lines[1].strip() + "\n")
        health_port, api_port = bench.free_port(), bench.free_port()
        api_base = f"http://127.0.0.1:{api_port}"
        procs["operator"] = Proc("quiver operator", [
            args.quiver, "operator", "--kubeconfig", kubeconfig, "--no-leader-elect",
            "--health-address", f"127.0.0.1:{health_port}", "--api-address", f"127.0.0.1:{api_port}",
            "--token-file", token_file, "--gateway-upstream", embed_base, "--api-base-url", api_base,
            "--log-level", "warning"], os.path.join(tmp, "operator.log"))
        wait_until("operator API /healthz", 60, lambda: http_get(api_base + "/healthz")[0] == 200, [procs["operator"]])
        wait_until("operator /readyz", 60, lambda: http_get(f"http://127.0.0.1:{health_port}/readyz")[0] == 200,
                   [procs["operator"]])
        log(f"operator up: API and gateway on :{api_port}")

        # --- 4. artifact, configuration, deployment; play the kubelet
        api = API(api_base, token, NAMESPACE)
        art = api.expect("POST", "/v2/lm/artifacts", {
            "name": "all-MiniLM-L6-v2", "kind": "model", "url": "hf://sentence-transformers/all-MiniLM-L6-v2",
            "scenarioId": "embeddings"}, (201,))
        cfg = api.expect("POST", "/v2/lm/configurations", {
            "name": "minilm", "scenarioId": "embeddings", "executableId": "quiver-embed-cpu",
            "parameterBindings": [{"key": "servedModelName", "value": served_name}],
            "inputArtifactBindings": [{"key": "model", "artifactId": art["id"]}]}, (201,))
        dep = api.expect("POST", "/v2/lm/deployments", {"configurationId": cfg["id"]}, (202,))
        dep_id = dep["id"]
        report["deployment_id"] = dep_id

        def deployment_status():
            status, out = api.call("GET", f"/v2/lm/deployments/{dep_id}")
            if status != 200:
                raise Broken(f"GET /v2/lm/deployments/{dep_id} answered {status}: {str(out)[:300]}")
            return out.get("status")

        st = wait_until("deployment PENDING", 60, lambda: (lambda x: x in ("PENDING", "RUNNING") and x)(deployment_status()),
                        [procs["operator"]], interval=0.2)
        log(f"deployment {dep_id}: {st}; marking deployment.apps/{dep_id} available")
        wait_until(f"deployment.apps/{dep_id} exists", 60,
                   lambda: kubectl(kubeconfig, "-n", NAMESPACE, "get", f"deployment.apps/{dep_id}", "-o", "name",
                                   timeout=15, check=False)[0] == 0, [procs["operator"]], interval=0.2)
        kubectl(kubeconfig, "-n", NAMESPACE, "patch", f"deployment.apps/{dep_id}", "--subresource=status", "--type", "merge",
                "-p", json.dumps({"status": {"replicas": 1, "availableReplicas": 1, "readyReplicas": 1, "updatedReplicas": 1}}))
        wait_until("deployment RUNNING", 60, lambda: deployment_status() == "RUNNING", [procs["operator"]], interval=0.2)
        log(f"deployment {dep_id} RUNNING")

        # --- 5. bodies: bench.py's medium workload
        tok = bench.load_tokenizer(os.path.join(args.model, "tokenizer.json"))
        name, lo, hi = WORKLOAD
        k = [w[0] for w in bench.WORKLOADS].index(name)
        gen = bench.TextGenerator(tok, args.seed + 1000 * k)
        t0 = time.perf_counter()
        pairs = [gen.text(lo, hi) for _ in range(args.texts)]
        texts = {name: {"texts": [t for t, _ in pairs], "tokens": [n for _, n in pairs], "range": [lo, hi]}}
        bench.write_work_files(texts, tmp, served_name)
        wl = texts[name]
        mean_tokens = sum(wl["tokens"]) / len(wl["tokens"])
        report["config"]["workload"]["mean_tokens"] = round(mean_tokens, 2)
        log(f"bodies: {args.texts} {name} texts (mean {mean_tokens:.1f} tokens) in {time.perf_counter() - t0:.1f} s")

        sides = {
            "direct": {"base": embed_base, "path": "/v1/embeddings", "headers": {}},
            "gateway": {"base": api_base, "path": f"/v2/inference/deployments/{dep_id}/v1/embeddings",
                        "headers": api.headers()},
        }

        # --- probe: one known text each way; both must answer 200 with the known token count
        for side, s in sides.items():
            req = urllib.request.Request(s["base"] + s["path"], method="POST",
                                         data=json.dumps({"input": wl["texts"][0], "model": served_name}).encode(),
                                         headers={**s["headers"], "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=30) as r:
                    body = json.loads(r.read())
            except urllib.error.HTTPError as e:
                raise Broken(f"{side} probe answered {e.code}: {e.read().decode(errors='replace')[:500]}")
            usage = body.get("usage", {}).get("prompt_tokens")
            if usage != wl["tokens"][0]:
                raise Broken(f"{side} probe: usage.prompt_tokens {usage} != known {wl['tokens'][0]}")

        # --- 6. measure: direct, gateway, direct, gateway
        def ours():
            return sum(p.cpu_seconds() for p in procs.values()) + bench.children_cpu_seconds()

        for rnd in range(1, args.rounds + 1):
            for side, s in sides.items():
                for p_ in procs.values():
                    p_.check_alive()
                log(f"round {rnd} {side}: warm-up {args.warmup} s, then {args.duration} s at {args.connections} connections")
                warm = run_wrk(wrk, s["base"], wl["bodies_file"], s["path"], s["headers"], args.connections,
                               args.wrk_threads, args.warmup)
                if bench.http_errors(warm):
                    raise Broken(f"{side} warm-up: {bench.http_errors(warm)} HTTP errors {bench.summarize_wrk(warm)['errors']}, "
                                 f"first: {warm['first_bad_status']} {warm['first_bad_body']}")
                cpu0 = {n: p_.cpu_seconds() for n, p_ in procs.items()}
                wrk0 = bench.children_cpu_seconds()
                meter = bench.LoadMeter(ours)
                res = run_wrk(wrk, s["base"], wl["bodies_file"], s["path"], s["headers"], args.connections,
                              args.wrk_threads, args.duration)
                load = meter.stop()
                for n, p_ in procs.items():
                    load[f"{n}_cores"] = round((p_.cpu_seconds() - cpu0[n]) / load["wall_s"], 2)
                load["operator_cpu_seconds"] = round(procs["operator"].cpu_seconds() - cpu0["operator"], 2)
                load["wrk_cores"] = round((bench.children_cpu_seconds() - wrk0) / load["wall_s"], 2)
                out = {"side": side, "round": rnd, **bench.summarize_wrk(res), "load": load,
                       "usage_vs_known_mean": round(res["prompt_tokens"] / max(res["ok"] * mean_tokens, 1), 4)}
                report["runs"].append(out)
                log(f"  {side}: {out['tokens_per_second']:,.0f} tok/s, {out['requests_per_second']:,.0f} req/s, "
                    f"p50 {out['p50_ms']:.2f} ms, p99 {out['p99_ms']:.2f} ms; cores: embed {load['embed_cores']}, "
                    f"operator {load['operator_cores']}, wrk {load['wrk_cores']}, other {load['other_cores']}")
                if bench.http_errors(res):
                    failures.append(f"{side} round {rnd}: {bench.http_errors(res)} HTTP errors {out['errors']}, first: "
                                    f"{res['first_bad_status']} {res['first_bad_body']}")
                    log("ERROR: " + failures[-1])
                if res["ok"] == 0:
                    failures.append(f"{side} round {rnd}: no request completed")
        for p_ in procs.values():
            p_.check_alive()
    except (Broken, KeyboardInterrupt, Exception) as e:  # noqa: BLE001
        msg = "interrupted" if isinstance(e, KeyboardInterrupt) else (
            str(e) if isinstance(e, Broken) else f"{type(e).__name__}: {e}")
        failures.append(msg)
        log("ERROR: " + msg)
        for p_ in procs.values():
            log(f"--- last lines of {p_.name}'s log:\n{p_.tail(15)}")
    finally:
        for n in ("operator", "apiserver", "embed"):
            if n in procs:
                try:
                    procs[n].stop()
                except Exception as e:  # noqa: BLE001
                    log(f"stopping {procs[n].name} (pid {procs[n].pid}): {e}")
        shutil.rmtree(tmp, ignore_errors=True)

    # --- summary
    for side in ("direct", "gateway"):
        runs = [r for r in report["runs"] if r["side"] == side]
        if not runs:
            continue
        report[side] = {
            "runs": len(runs),
            "tokens_per_second": mean(r["tokens_per_second"] for r in runs),
            "requests_per_second": mean(r["requests_per_second"] for r in runs),
            "p50_ms": mean(r["p50_ms"] for r in runs),
            "p99_ms": mean(r["p99_ms"] for r in runs),
            "http_errors": sum(bench.http_errors({"not_ok": r["errors"]["non_200"], "errors": r["errors"],
                                                  "missing_usage": r["errors"]["missing_usage"]}) for r in runs),
            "embed_cores": mean(r["load"].get("embed_cores") for r in runs),
            "operator_cores": mean(r["load"].get("operator_cores") for r in runs),
            "operator_cpu_seconds": round(sum(r["load"].get("operator_cpu_seconds", 0) for r in runs), 2),
            "wrk_cores": mean(r["load"].get("wrk_cores") for r in runs),
            "other_cores": mean(r["load"].get("other_cores") for r in runs),
        }
    d, g = report.get("direct"), report.get("gateway")
    if d and g and d["tokens_per_second"]:
        report["ratio"] = g["tokens_per_second"] / d["tokens_per_second"]
        report["ratio_pass"] = report["ratio"] >= TARGET_RATIO
        report["added_p50_ms"] = g["p50_ms"] - d["p50_ms"]
        report["added_p99_ms"] = g["p99_ms"] - d["p99_ms"]
        pairs = {}
        for r in report["runs"]:
            pairs.setdefault(r["round"], {})[r["side"]] = r["tokens_per_second"]
        report["ratio_per_round"] = [round(v["gateway"] / v["direct"], 4) for _, v in sorted(pairs.items())
                                     if v.get("direct") and v.get("gateway")]
        report["noisy"] = any(r["load"]["other_cores"] >= bench.NOISY_CORES for r in report["runs"])
    report["host"]["loadavg_end"] = os.getloadavg()
    report["wall_s"] = round(time.time() - started, 1)
    with open(args.results + ".tmp", "w") as f:
        json.dump(report, f, indent=2, default=float)
    os.replace(args.results + ".tmp", args.results)
    print_report(report)
    print(f"figures: {os.path.relpath(args.results, os.getcwd())}   ({report['wall_s']:.0f} s)")
    return 1 if failures else 0


def print_report(report):
    f = bench.fmt_int
    ms = bench.fmt_ms
    print()
    print(f"inference gateway vs quiver-embed direct  ({report['host']['cpu']}, {report['host']['cores']} cores; "
          f"load average before {report['host']['loadavg_start'][0]:.2f}, after {report['host']['loadavg_end'][0]:.2f})")
    head = (f"{'side':<9}{'tokens/s':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
            f"{'embed cores':>13}{'gateway cores':>15}{'wrk cores':>11}{'other load':>12}")
    print(head)
    print("-" * len(head))
    for side in ("direct", "gateway"):
        s = report.get(side)
        if not s:
            continue

        def c(x):
            return "-" if x is None else f"{x:.2f}"
        print(f"{side:<9}{f(s['tokens_per_second']):>10}{f(s['requests_per_second']):>9}{ms(s['p50_ms']):>9}"
              f"{ms(s['p99_ms']):>9}{s['http_errors']:>8}{c(s['embed_cores']):>13}{c(s['operator_cores']):>15}"
              f"{c(s['wrk_cores']):>11}{c(s['other_cores']):>12}")
    cfg = report["config"]
    print(f"  (medium texts, one input per request, wrk, {cfg['connections']} connections, {cfg['rounds']} × "
          f"{cfg['duration_s']} s per side after {cfg['warmup_s']} s warm-ups, direct/gateway alternating; means of the runs; "
          "gateway cores = the `quiver operator` process)")
    if report.get("ratio") is not None:
        per = ", ".join(f"{x:.2f}" for x in report.get("ratio_per_round", []))
        print(f"gateway ÷ direct tokens/s: {report['ratio']:.3f} (per round {per}; target ≥ {TARGET_RATIO:.2f}): "
              f"{bench.verdict(report['ratio_pass'], report.get('noisy'))}")
        print(f"latency the gateway adds: p50 {report['added_p50_ms']:+.2f} ms, p99 {report['added_p99_ms']:+.2f} ms; "
              f"operator CPU during the gateway runs {report['gateway']['operator_cpu_seconds']:.1f} s "
              f"({report['gateway']['operator_cores']:.2f} cores)")
        if report.get("noisy"):
            print(f"* measured while other processes kept ≥ {bench.NOISY_CORES} cores busy on average: rerun on a quiet machine")
    if report["failures"]:
        print("\nBROKEN:")
        for x in report["failures"]:
            print("  - " + x.splitlines()[0][:400])
    print()


if __name__ == "__main__":
    sys.exit(main())
