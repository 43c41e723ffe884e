#!/usr/bin/env python3
"""CPU per request on quiver-embed's threads under load: starts the server, runs wrk (64
connections, short texts, POST /v1/embeddings) for --seconds, and prints each busy thread's CPU
(from /proc/PID/task/*/stat) and the event-loop threads' microseconds per request. README's
event-loop figures come from this script. Run it with the virtual environment `make setup` makes:

  .cache/venv/bin/python hack/event-loop-cpu.py --binary .build/release/quiver-embed \\
      --model .cache/models/all-MiniLM-L6-v2 --onnxruntime .cache/onnxruntime/lib/libonnxruntime.so.1.31.1
"""
import argparse
import glob
import os
import shutil
import sys
import tempfile
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402


def threads(pid):
    """{tid: (name, cpu seconds, voluntary switches, involuntary switches)}"""
    out = {}
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            name = open(task + "/comm").read().strip()
            fields = open(task + "/stat").read().rsplit(")", 1)[1].split()
            cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            switches = {line.split(":")[0]: int(line.split(":")[1]) for line in open(task + "/status") if "ctxt" in line}
            out[os.path.basename(task)] = (name, cpu, switches["voluntary_ctxt_switches"], switches["nonvoluntary_ctxt_switches"])
        except (OSError, IndexError, KeyError, ValueError):
            pass  # the thread ended meanwhile
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--onnxruntime", required=True)
    p.add_argument("--seconds", type=int, default=6)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--server-arg", action="append", default=[])
    args = p.parse_args()
    tok = bench.load_tokenizer(os.path.join(args.model, "tokenizer.json"))
    texts = bench.make_texts(tok, 2000, 20240611)
    workdir = tempfile.mkdtemp()
    wrk = bench.ensure_wrk()
    server = None
    try:
        bench.write_work_files(texts, workdir, os.path.basename(os.path.normpath(args.model)))
        server = bench.Server(types.SimpleNamespace(binary=os.path.abspath(args.binary), model=os.path.abspath(args.model),
                                                    onnxruntime=os.path.abspath(args.onnxruntime), server_arg=args.server_arg),
                              os.path.join(workdir, "server.log"))
        server.wait_healthy(120)
        bodies = texts["short"]["bodies_file"]
        bench.run_wrk(wrk, server.base, bodies, args.connections, 1, 2)  # warm-up
        server.wait_idle()
        before, started = threads(server.pid), time.time()
        raw = bench.run_wrk(wrk, server.base, bodies, args.connections, 1, args.seconds)
        result = bench.summarize_wrk(raw)
        after, wall = threads(server.pid), time.time() - started
        print(f"{result['tokens_per_second']:,.0f} tokens/s, {result['requests_per_second']:,.0f} requests/s, "
              f"{bench.http_errors(raw)} HTTP errors")
        loops = 0.0
        for tid, (name, cpu, vol, invol) in sorted(after.items(), key=lambda kv: kv[1][1] - before.get(kv[0], (0, 0, 0, 0))[1], reverse=True):
            _, cpu0, vol0, invol0 = before.get(tid, (name, 0, 0, 0))
            cores = (cpu - cpu0) / wall
            if name.startswith("NIO-"):
                loops += cores
            if cores >= 0.005:
                print(f"  {name:20s} {cores:.3f} cores, {(vol - vol0) / wall:6.0f} voluntary and "
                      f"{(invol - invol0) / wall:6.0f} involuntary switches/s")
        print(f"event loops: {loops:.3f} cores, {loops / result['requests_per_second'] * 1e6:.1f} µs per request")
    finally:
        if server:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
