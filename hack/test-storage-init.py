#!/usr/bin/env python3
"""`quiver storage-init` against real servers on loopback.

- S3: moto's S3-compatible server (`moto_server`), objects put with boto3; the binary lists the
  prefix (ListObjectsV2) and downloads every object with SigV4-signed requests.
- HTTP(S): one file from Python's http.server.
- A second run keeps what is already there; a missing prefix fails with a clear message.

Usage: hack/test-storage-init.py PATH/TO/quiver
"""
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

QUIVER = sys.argv[1] if len(sys.argv) > 1 else sys.exit(__doc__)
PASS, FAIL = 0, 0


def check(name, ok, detail=""):
    global PASS, FAIL
    if ok:
        PASS += 1
        print("PASS", name)
    else:
        FAIL += 1
        print("FAIL", name, detail)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def run(args, env_extra):
    env = dict(os.environ)
    env.update(env_extra)
    return subprocess.run([QUIVER, "storage-init"] + args, capture_output=True, text=True, timeout=120, env=env)


work = tempfile.mkdtemp(prefix="quiver-storage-init-")
moto = None
try:
    import boto3
    port = free_port()
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = "http://127.0.0.1:%d" % port
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    creds = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": endpoint}
    s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
    s3.create_bucket(Bucket="on-boarded-bucket")
    files = {
        "our-awesome-model/v1/config.json": b'{"hidden_size": 384}',
        "our-awesome-model/v1/1_Pooling/config.json": b'{"pooling_mode_mean_tokens": true}',
        "our-awesome-model/v1/model.onnx": os.urandom(3 * 1024 * 1024 + 17),
        "our-awesome-model/v1/name with spaces+plus.txt": b"odd key",
        "our-awesome-model/v2/config.json": b"other version",
    }
    for key, body in files.items():
        s3.put_object(Bucket="on-boarded-bucket", Key=key, Body=body)

    dest = os.path.join(work, "models")
    r = run(["--uri", "s3://on-boarded-bucket/our-awesome-model/v1", "--dest", dest], creds)
    check("s3 prefix fetched", r.returncode == 0 and "fetched 4 file(s)" in r.stdout, r.stdout + r.stderr)
    for key, body in files.items():
        if not key.startswith("our-awesome-model/v1/"):
            continue
        path = os.path.join(dest, key[len("our-awesome-model/v1/"):])
        same = os.path.exists(path) and hashlib.sha256(open(path, "rb").read()).hexdigest() == hashlib.sha256(body).hexdigest()
        check("s3 object %s arrived intact" % key, same)
    check("other prefixes are not fetched", not os.path.exists(os.path.join(dest, "..", "v2")) and
          not os.path.exists(os.path.join(dest, "config.json.quiver-partial")))
    r = run(["--uri", "s3://on-boarded-bucket/our-awesome-model/v1", "--dest", dest], creds)
    check("a second run keeps what is there", r.returncode == 0 and "kept 4 already present" in r.stdout, r.stdout + r.stderr)
    r = run(["--uri", "s3://on-boarded-bucket/no-such-model", "--dest", os.path.join(work, "none")], creds)
    check("a missing prefix fails clearly", r.returncode != 0 and "no objects under s3://on-boarded-bucket/no-such-model" in r.stderr, r.stderr)
    r = run(["--uri", "s3://no-such-bucket/x", "--dest", os.path.join(work, "none")], creds)
    check("a missing bucket fails clearly", r.returncode != 0 and "no-such-bucket" in r.stderr, r.stderr)

    # HTTP: one file.
    serve_dir = os.path.join(work, "www")
    os.makedirs(serve_dir)
    payload = os.urandom(100_000)
    open(os.path.join(serve_dir, "model.onnx"), "wb").write(payload)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=serve_dir, **k)

        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = "http://127.0.0.1:%d/model.onnx" % httpd.server_address[1]
    r = run(["--uri", url, "--dest", os.path.join(work, "http")], {})
    got = os.path.join(work, "http", "model.onnx")
    check("http file fetched", r.returncode == 0 and os.path.exists(got) and open(got, "rb").read() == payload, r.stdout + r.stderr)
    r = run(["--uri", url.replace("model.onnx", "missing.onnx"), "--dest", os.path.join(work, "http2")], {})
    check("http 404 fails clearly", r.returncode != 0 and "404" in r.stderr, r.stderr)
    httpd.shutdown()
    r = run(["--uri", "ftp://example/x", "--dest", work], {})
    check("an unsupported scheme is refused", r.returncode != 0 and "scheme \"ftp\" is not supported" in (r.stderr + r.stdout), r.stderr)
finally:
    if moto:
        moto.terminate()
        moto.wait(timeout=10)
    shutil.rmtree(work, ignore_errors=True)

print("%d passed, %d failed" % (PASS, FAIL))
sys.exit(1 if FAIL else 0)
