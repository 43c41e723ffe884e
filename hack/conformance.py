#!/usr/bin/env python3
"""Kubernetes API conformance checks for Quiver's EmbeddedKube (and any other API server).

Usage:
    bash hack/conformance.sh KUBECONFIG [--only SUBSTR] [-v]
    python3 hack/conformance.py --kubeconfig KUBECONFIG [--context NAME] [--only SUBSTR] [-v] [--list]

The checks describe client-visible behaviour of the real kube-apiserver (v1.30+), as documented in
the Kubernetes API conventions and as recorded in Tests/KubeModelTests/Resources/kube-apiserver/
(transcripts from kube-apiserver v1.36.2 plus the README that lists the observed rules). They are
meant to pass against a real cluster and are run against EmbeddedKube in CI.

Output: one line per check, `PASS name`, `FAIL name: expected ... got ...` or `SKIP name: why`,
then the summary line `N passed, M failed, K skipped`. Exit code 1 if any check failed, 2 if the
kubeconfig can't be used or the server can't be reached, otherwise 0.

Options:
    --kubeconfig PATH   kubeconfig (YAML as kubectl writes it, or JSON); default $KUBECONFIG or
                        ~/.kube/config. Supported: clusters[].cluster.server, certificate-authority,
                        certificate-authority-data, insecure-skip-tls-verify, tls-server-name;
                        users[].user.token, tokenFile, client-certificate(-data), client-key(-data),
                        username/password, exec (ExecCredential token); contexts; current-context.
    --context NAME      use this context instead of current-context.
    --only SUBSTR       run only the checks whose name contains SUBSTR (may be repeated).
    -v, --verbose       on a failure, print the HTTP exchanges of that check (bodies truncated).
    --list              print the check names and exit.

Properties:
    * Python 3 standard library only (http.client, ssl, json, threading); no third-party modules.
    * Every check creates its own uniquely named namespace(s) (conf-<run>-<n>) and labels them with
      conformance.quiver.dev/run=<run>. A per-run CRD group r<run>.conformance.quiver.dev is used for
      custom resources. Everything the run created is deleted at the end (best effort, also after a
      failure or Ctrl-C); finalizers the checks set are stripped first so nothing stays stuck.
      Objects the run didn't create are never modified.
    * All waits are bounded: polls have fixed deadlines (30 s; 60 s where a real cluster's namespace
      controller or garbage collector has to act), every socket has a timeout, watches are opened
      with timeoutSeconds.
"""

import argparse
import base64
import http.client
import json
import os
import queue
import random
import re
import select
import socket
import ssl
import string
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse

TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
KUBECTL_TABLE_ACCEPT = ("application/json;as=Table;v=v1;g=meta.k8s.io,"
                        "application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
AGGREGATED_ACCEPT = ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
                     "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,"
                     "application/json")
AGGREGATED_V2_CT = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
CR_PATCH_415_MESSAGE = ("the body of the request was in an unknown format - accepted media types include: "
                        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml")
CONFLICT_SUFFIX = "the object has been modified; please apply your changes to the latest version and try again"
MERGE = "application/merge-patch+json"
JSONPATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
IMAGE = "registry.k8s.io/pause:3.9"
IMAGE2 = "registry.k8s.io/pause:3.10"
POLL_TIMEOUT = 30.0       # generic bounded wait
CONTROLLER_TIMEOUT = 60.0  # waits on a real cluster's namespace controller / garbage collector
REQUEST_TIMEOUT = 30.0     # socket timeout for ordinary requests
CRD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
SUB_VERBS = ["get", "patch", "update"]


# ----------------------------------------------------------------------------------------------
# A small YAML subset (block mappings and sequences, plain/quoted scalars, simple flow
# collections, | and > block scalars): enough for the kubeconfigs kubectl, kind, k3s, minikube,
# EKS and GKE write.
# ----------------------------------------------------------------------------------------------

class YamlError(Exception):
    pass


def _strip_comment(line):
    q = None
    i = 0
    n = len(line)
    while i < n:
        ch = line[i]
        if q == '"':
            if ch == "\\":
                i += 2
                continue
            if ch == '"':
                q = None
        elif q == "'":
            if ch == "'":
                q = None
        else:
            if ch in "\"'" and (i == 0 or line[i - 1] in " \t:[{,-"):
                q = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                return line[:i].rstrip()
        i += 1
    return line.rstrip()


def _yaml_scalar(s):
    s = s.strip()
    if s == "":
        return None
    if s[0] == '"':
        try:
            return json.loads(s)
        except ValueError:
            if s.endswith('"') and len(s) >= 2:
                return s[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            raise YamlError("bad double-quoted scalar: %r" % s)
    if s[0] == "'":
        if not s.endswith("'") or len(s) < 2:
            raise YamlError("bad single-quoted scalar: %r" % s)
        return s[1:-1].replace("''", "'")
    if s[0] in "[{":
        try:
            return json.loads(s)
        except ValueError:
            return _yaml_flow(s)
    low = s.lower()
    if low in ("null", "~"):
        return None
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if re.match(r"^[-+]?[0-9]+$", s):
        try:
            return int(s)
        except ValueError:
            return s
    return s


def _split_flow(body):
    parts, depth, q, cur = [], 0, None, []
    for ch in body:
        if q:
            cur.append(ch)
            if ch == q:
                q = None
            continue
        if ch in "\"'":
            q = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def _yaml_flow(s):
    s = s.strip()
    if s.startswith("[") and s.endswith("]"):
        return [_yaml_scalar(p) for p in _split_flow(s[1:-1])]
    if s.startswith("{") and s.endswith("}"):
        out = {}
        for p in _split_flow(s[1:-1]):
            idx = _find_colon(p)
            if idx < 0:
                out[_yaml_scalar(p)] = None
            else:
                out[_yaml_scalar(p[:idx])] = _yaml_scalar(p[idx + 1:])
        return out
    raise YamlError("bad flow collection: %r" % s)


def _find_colon(text):
    q = None
    i = 0
    while i < len(text):
        ch = text[i]
        if q:
            if q == '"' and ch == "\\":
                i += 2
                continue
            if ch == q:
                q = None
        elif ch in "\"'" and i == 0:
            q = ch
        elif ch in "[{" and i == 0:
            return -1
        elif ch == ":" and (i + 1 == len(text) or text[i + 1] in " \t"):
            return i
        i += 1
    return -1


def _is_seq_item(text):
    return text == "-" or text.startswith("- ")


class _YamlParser(object):
    def __init__(self, text):
        self.lines = []
        for raw in text.replace("\t", "    ").splitlines():
            s = _strip_comment(raw)
            st = s.strip()
            if not st or st in ("---", "...") or st.startswith("%"):
                continue
            self.lines.append([len(s) - len(s.lstrip(" ")), st])
        self.pos = 0

    def parse(self):
        if not self.lines:
            return None
        v = self.block(0)
        if self.pos < len(self.lines):
            raise YamlError("unexpected content at line %r" % self.lines[self.pos][1])
        return v

    def block(self, min_indent):
        if self.pos >= len(self.lines):
            return None
        ind, text = self.lines[self.pos]
        if ind < min_indent:
            return None
        if _is_seq_item(text):
            return self.seq(ind)
        if _find_colon(text) < 0:
            self.pos += 1
            return _yaml_scalar(text)
        return self.mapping(ind)

    def seq(self, indent):
        out = []
        while self.pos < len(self.lines):
            ind, text = self.lines[self.pos]
            if ind != indent or not _is_seq_item(text):
                break
            rest = text[1:].lstrip(" ")
            if not rest:
                self.pos += 1
                out.append(self.block(indent + 1))
                continue
            new_ind = indent + (len(text) - len(rest))
            if _is_seq_item(rest):
                self.lines[self.pos] = [new_ind, rest]
                out.append(self.seq(new_ind))
            elif _find_colon(rest) > 0:
                self.lines[self.pos] = [new_ind, rest]
                out.append(self.mapping(new_ind))
            else:
                self.pos += 1
                out.append(_yaml_scalar(rest))
        return out

    def mapping(self, indent):
        out = {}
        while self.pos < len(self.lines):
            ind, text = self.lines[self.pos]
            if ind < indent or _is_seq_item(text) and ind == indent:
                break
            if ind > indent:
                raise YamlError("bad indentation at %r" % text)
            idx = _find_colon(text)
            if idx <= 0:
                raise YamlError("expected 'key: value' at %r" % text)
            key = _yaml_scalar(text[:idx])
            val = text[idx + 1:].strip()
            self.pos += 1
            if val == "":
                if self.pos < len(self.lines):
                    nind, ntext = self.lines[self.pos]
                    if nind > indent:
                        out[key] = self.block(nind)
                    elif nind == indent and _is_seq_item(ntext):
                        out[key] = self.seq(indent)
                    else:
                        out[key] = None
                else:
                    out[key] = None
            elif val[0] in "|>":
                parts = []
                while self.pos < len(self.lines) and self.lines[self.pos][0] > indent:
                    parts.append(self.lines[self.pos][1])
                    self.pos += 1
                joined = ("\n" if val[0] == "|" else " ").join(parts)
                out[key] = joined + ("" if "-" in val else "\n")
            else:
                out[key] = _yaml_scalar(val)
        return out


def yaml_load(text):
    return _YamlParser(text).parse()


# ----------------------------------------------------------------------------------------------
# kubeconfig
# ----------------------------------------------------------------------------------------------

class KubeConfigError(Exception):
    pass


class KubeConfig(object):
    def __init__(self):
        self.server = None
        self.ca_file = None
        self.ca_data = None
        self.insecure = False
        self.tls_server_name = None
        self.token = None
        self.cert_file = None
        self.key_file = None
        self.cert_data = None
        self.key_data = None
        self.username = None
        self.password = None
        self.context = None


def _named(items, name, field):
    for it in items or []:
        if isinstance(it, dict) and it.get("name") == name:
            return it.get(field) or {}
    return None


def _b64(data):
    data = data.strip() if isinstance(data, str) else data
    return base64.b64decode(data)


def _exec_token(spec, base_dir):
    cmd = spec.get("command")
    if not cmd:
        raise KubeConfigError("users[].user.exec has no command")
    if "/" in cmd and not os.path.isabs(cmd):
        cmd = os.path.join(base_dir, cmd)
    env = dict(os.environ)
    for e in spec.get("env") or []:
        env[e.get("name")] = e.get("value", "")
    env["KUBERNETES_EXEC_INFO"] = json.dumps({
        "apiVersion": spec.get("apiVersion", "client.authentication.k8s.io/v1"),
        "kind": "ExecCredential", "spec": {"interactive": False}})
    try:
        out = subprocess.run([cmd] + [str(a) for a in spec.get("args") or []], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=True).stdout
        status = json.loads(out.decode("utf-8")).get("status") or {}
    except Exception as e:  # noqa: BLE001
        raise KubeConfigError("exec credential plugin %s failed: %s" % (cmd, e))
    if status.get("token"):
        return status["token"], None, None
    return None, status.get("clientCertificateData"), status.get("clientKeyData")


def load_kubeconfig(path, context=None):
    try:
        with open(path) as f:
            text = f.read()
    except OSError as e:
        raise KubeConfigError("cannot read kubeconfig %s: %s" % (path, e))
    try:
        cfg = json.loads(text)
    except ValueError:
        try:
            cfg = yaml_load(text)
        except YamlError as e:
            raise KubeConfigError("cannot parse kubeconfig %s: %s" % (path, e))
    if not isinstance(cfg, dict):
        raise KubeConfigError("kubeconfig %s is not a mapping" % path)
    base_dir = os.path.dirname(os.path.abspath(path))

    def rel(p):
        if p and not os.path.isabs(p):
            return os.path.join(base_dir, p)
        return p

    kc = KubeConfig()
    ctx_name = context or cfg.get("current-context")
    clusters, users, contexts = cfg.get("clusters") or [], cfg.get("users") or [], cfg.get("contexts") or []
    if ctx_name:
        ctx = _named(contexts, ctx_name, "context")
        if ctx is None:
            raise KubeConfigError("context %r not found in %s" % (ctx_name, path))
        cluster = _named(clusters, ctx.get("cluster"), "cluster")
        user = _named(users, ctx.get("user"), "user") or {}
        if cluster is None:
            raise KubeConfigError("cluster %r (context %r) not found" % (ctx.get("cluster"), ctx_name))
    else:
        if len(clusters) != 1:
            raise KubeConfigError("no current-context and not exactly one cluster in %s" % path)
        cluster = clusters[0].get("cluster") or {}
        user = (users[0].get("user") or {}) if len(users) == 1 else {}
    kc.context = ctx_name
    kc.server = (cluster.get("server") or "").strip()
    if not kc.server:
        raise KubeConfigError("cluster has no server")
    if "://" not in kc.server:
        kc.server = "https://" + kc.server
    kc.insecure = bool(cluster.get("insecure-skip-tls-verify"))
    kc.tls_server_name = cluster.get("tls-server-name")
    kc.ca_file = rel(cluster.get("certificate-authority"))
    if cluster.get("certificate-authority-data"):
        kc.ca_data = _b64(cluster["certificate-authority-data"]).decode("utf-8")
    if user.get("token"):
        kc.token = str(user["token"]).strip()
    elif user.get("tokenFile"):
        with open(rel(user["tokenFile"])) as f:
            kc.token = f.read().strip()
    kc.cert_file = rel(user.get("client-certificate"))
    kc.key_file = rel(user.get("client-key"))
    if user.get("client-certificate-data"):
        kc.cert_data = _b64(user["client-certificate-data"]).decode("utf-8")
    if user.get("client-key-data"):
        kc.key_data = _b64(user["client-key-data"]).decode("utf-8")
    kc.username = user.get("username")
    kc.password = user.get("password")
    if not kc.token and not (kc.cert_file or kc.cert_data) and isinstance(user.get("exec"), dict):
        tok, cert, key = _exec_token(user["exec"], base_dir)
        kc.token, kc.cert_data, kc.key_data = tok, cert or kc.cert_data, key or kc.key_data
    return kc


# ----------------------------------------------------------------------------------------------
# HTTP
# ----------------------------------------------------------------------------------------------

class _HTTPSConn(http.client.HTTPSConnection):
    def __init__(self, host, port, timeout, context, sni=None):
        http.client.HTTPSConnection.__init__(self, host, port, timeout=timeout, context=context)
        self._ctx = context
        self._sni = sni

    def connect(self):
        if not self._sni:
            return http.client.HTTPSConnection.connect(self)
        sock = socket.create_connection((self.host, self.port), self.timeout)
        self.sock = self._ctx.wrap_socket(sock, server_hostname=self._sni)


class Resp(object):
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # list of (name, value)
        self.body = body
        self._json = None
        self._parsed = False

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def header_all(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    @property
    def content_type(self):
        return self.header("Content-Type") or ""

    @property
    def json(self):
        if not self._parsed:
            self._parsed = True
            try:
                self._json = json.loads(self.body.decode("utf-8")) if self.body else None
            except (ValueError, UnicodeDecodeError):
                self._json = None
        return self._json

    def text(self, n=400):
        try:
            s = self.body.decode("utf-8", "replace")
        except Exception:  # noqa: BLE001
            s = repr(self.body)
        return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(self.body)

    def __repr__(self):
        return "HTTP %s %s" % (self.status, self.text(300))


class Client(object):
    def __init__(self, kc):
        u = urllib.parse.urlsplit(kc.server)
        self.scheme = u.scheme.lower()
        if self.scheme not in ("http", "https"):
            raise KubeConfigError("unsupported server URL %s" % kc.server)
        self.host = u.hostname
        self.port = u.port or (443 if self.scheme == "https" else 80)
        self.prefix = u.path.rstrip("/")
        self.token = kc.token
        self.basic = None
        if kc.username is not None and kc.password is not None:
            self.basic = base64.b64encode(("%s:%s" % (kc.username, kc.password)).encode()).decode()
        self.sni = kc.tls_server_name
        self.has_cert = False
        self.log = []
        self.log_enabled = False
        self.lock = threading.Lock()
        if self.scheme == "https":
            self.ssl_auth = self._ssl(kc, with_cert=True)
            self.ssl_anon = self._ssl(kc, with_cert=False)

    def _ssl(self, kc, with_cert):
        if kc.insecure:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
        else:
            ctx = ssl.create_default_context(cafile=kc.ca_file, cadata=kc.ca_data) \
                if (kc.ca_file or kc.ca_data) else ssl.create_default_context()
        if with_cert and (kc.cert_file or kc.cert_data):
            tmp = []
            try:
                cert, key = kc.cert_file, kc.key_file
                if kc.cert_data:
                    cert = self._tmp(kc.cert_data, tmp)
                if kc.key_data:
                    key = self._tmp(kc.key_data, tmp)
                ctx.load_cert_chain(cert, key)
                self.has_cert = True
            finally:
                for p in tmp:
                    try:
                        os.unlink(p)
                    except OSError:
                        pass
        return ctx

    @staticmethod
    def _tmp(data, tmp):
        fd, p = tempfile.mkstemp(prefix="conformance-", suffix=".pem")
        tmp.append(p)
        with os.fdopen(fd, "w") as f:
            f.write(data)
        return p

    def connect(self, timeout, auth=None):
        if self.scheme == "https":
            ctx = self.ssl_auth if auth is None else self.ssl_anon
            return _HTTPSConn(self.host, self.port, timeout, ctx, self.sni)
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def headers_for(self, auth, accept, ctype, extra):
        h = {"User-Agent": "quiver-conformance/1.0", "Accept": accept}
        if auth is None:
            if self.token:
                h["Authorization"] = "Bearer " + self.token
            elif self.basic:
                h["Authorization"] = "Basic " + self.basic
        elif auth is not False:
            h["Authorization"] = "Bearer " + auth
        if ctype:
            h["Content-Type"] = ctype
        if extra:
            h.update(extra)
        return h

    def url(self, path):
        return self.prefix + path

    def record(self, method, path, hdrs, body, resp, err=None):
        if not self.log_enabled:
            return
        b = body
        if isinstance(b, (bytes, bytearray)):
            b = b[:1500].decode("utf-8", "replace") + ("...(%d bytes)" % len(body) if len(body) > 1500 else "")
        h = dict(hdrs)
        if "Authorization" in h:
            h["Authorization"] = h["Authorization"].split(" ")[0] + " <redacted>"
        with self.lock:
            self.log.append((method, path, h, b, resp, err))
            del self.log[:-12]

    def request(self, method, path, body=None, ctype=None, accept="application/json", auth=None,
                headers=None, timeout=REQUEST_TIMEOUT):
        """auth: None = the kubeconfig's credentials, False = none at all, "tok" = that bearer only."""
        data = None
        if body is not None:
            if isinstance(body, (bytes, bytearray)):
                data = bytes(body)
            elif isinstance(body, str):
                data = body.encode("utf-8")
            else:
                data = json.dumps(body).encode("utf-8")
            if ctype is None:
                ctype = "application/json"
        hdrs = self.headers_for(auth, accept, ctype, headers)
        conn = self.connect(timeout, auth)
        try:
            conn.request(method, self.url(path), body=data, headers=hdrs)
            r = conn.getresponse()
            resp = Resp(r.status, r.getheaders(), r.read())
        except Exception as e:
            self.record(method, path, hdrs, data, None, e)
            raise
        finally:
            conn.close()
        self.record(method, path, hdrs, data, resp)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body, ctype=MERGE, **kw):
        return self.request("PATCH", path, body, ctype=ctype, **kw)

    def delete(self, path, body=None, **kw):
        return self.request("DELETE", path, body, **kw)

    def upload(self, method, path, data, ctype="application/json", timeout=60.0):
        """Send a big body in chunks, stop sending as soon as the server answers (a real server answers
        413 after reading its limit and may then close the connection). Returns (Resp or None, error)."""
        hdrs = self.headers_for(None, "application/json", ctype, None)
        conn = self.connect(timeout)
        send_err = None
        try:
            conn.putrequest(method, self.url(path), skip_accept_encoding=True)
            for k, v in hdrs.items():
                conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(data)))
            conn.endheaders()
            sock = conn.sock
            step = 64 * 1024
            deadline = time.time() + timeout
            # Over plain HTTP, stop sending once the server has answered. Over TLS the socket also turns
            # readable for records that carry no response (TLS 1.3 session tickets), so send it all: the
            # part beyond a 3 MiB limit fits in the socket buffers.
            plain = not isinstance(sock, ssl.SSLSocket)
            for off in range(0, len(data), step):
                if time.time() > deadline:
                    send_err = "timed out sending the body"
                    break
                if plain and select.select([sock], [], [], 0)[0]:
                    break
                try:
                    sock.sendall(data[off:off + step])
                except (OSError, ssl.SSLError) as e:
                    send_err = "%s: %s" % (type(e).__name__, e)
                    break
            try:
                r = conn.getresponse()
                resp = Resp(r.status, r.getheaders(), r.read())
            except Exception as e:  # noqa: BLE001
                self.record(method, path, hdrs, b"<%d bytes>" % len(data), None, e)
                return None, "%s (after send: %s)" % (e, send_err)
        finally:
            conn.close()
        self.record(method, path, hdrs, b"<%d bytes>" % len(data), resp)
        return resp, send_err


class WatchStream(object):
    """Reads a watch response on a background thread; events arrive on a queue as they are streamed."""

    def __init__(self, client, path, accept="application/json", sock_timeout=30.0):
        self.client = client
        self.path = path
        self.accept = accept
        self.sock_timeout = sock_timeout
        self.q = queue.Queue()
        self.started = threading.Event()
        self.status = None
        self.headers = []
        self.body = b""
        self.conn = None
        self.t0 = time.time()
        self.eof_at = None
        self.closed = False
        self.thread = threading.Thread(target=self._run, name="watch", daemon=True)
        self.thread.start()

    def _run(self):
        hdrs = self.client.headers_for(None, self.accept, None, None)
        try:
            self.conn = self.client.connect(self.sock_timeout)
            self.conn.request("GET", self.client.url(self.path), headers=hdrs)
            r = self.conn.getresponse()
            self.status = r.status
            self.headers = r.getheaders()
            self.client.record("GET", self.path, hdrs, None, Resp(r.status, r.getheaders(), b"<stream>"))
            self.started.set()
            if r.status != 200:
                self.body = r.read()
                self.q.put(("eof", None))
                return
            while True:
                line = r.readline()
                if not line:
                    break
                s = line.strip()
                if not s:
                    continue
                try:
                    ev = json.loads(s.decode("utf-8"))
                except ValueError:
                    self.q.put(("badline", s[:300]))
                    continue
                self.q.put(("event", ev))
            self.eof_at = time.time()
            self.q.put(("eof", None))
        except Exception as e:  # noqa: BLE001
            self.started.set()
            if not self.closed:
                self.q.put(("error", e))

    def content_type(self):
        for k, v in self.headers:
            if k.lower() == "content-type":
                return v
        return ""

    def wait_started(self, timeout=10.0):
        return self.started.wait(timeout)

    def next(self, timeout):
        try:
            return self.q.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return ("timeout", None)

    def collect(self, until=None, timeout=10.0):
        """Collects events until until(ev) is true (inclusive), EOF, an error, or the timeout.
        Returns (events, end) where end is 'until', 'eof', 'timeout', 'error:...' or 'badline:...'."""
        deadline = time.time() + timeout
        events = []
        while True:
            kind, val = self.next(deadline - time.time())
            if kind == "event":
                events.append(val)
                if until is not None and until(val):
                    return events, "until"
            elif kind == "eof":
                return events, "eof"
            elif kind == "timeout":
                return events, "timeout"
            elif kind == "badline":
                return events, "badline: %r" % val
            else:
                return events, "error: %s" % val

    def close(self):
        self.closed = True
        c = self.conn
        if c is not None:
            try:
                if c.sock is not None:
                    c.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                c.close()
            except Exception:  # noqa: BLE001
                pass


# ----------------------------------------------------------------------------------------------
# Check framework
# ----------------------------------------------------------------------------------------------

class CheckFailed(Exception):
    pass


class CheckSkipped(Exception):
    pass


def short(v, n=300):
    if isinstance(v, Resp):
        return repr(v)
    try:
        s = json.dumps(v, sort_keys=True) if not isinstance(v, str) else repr(v)
    except (TypeError, ValueError):
        s = repr(v)
    return s if len(s) <= n else s[:n] + "..."


def fail(expected, got):
    raise CheckFailed("expected %s, got %s" % (expected, got if isinstance(got, str) else short(got)))


def expect(cond, expected, got):
    if not cond:
        fail(expected, got)


def expect_eq(actual, expected, what):
    if actual != expected:
        fail("%s == %s" % (what, short(expected)), short(actual))


def expect_code(r, code, what):
    codes = code if isinstance(code, (list, tuple, set)) else (code,)
    if r.status not in codes:
        fail("%s -> HTTP %s" % (what, "/".join(str(c) for c in codes)), repr(r))
    return r.json


def expect_json_ct(r, what):
    ct = r.content_type.split(";")[0].strip().lower()
    if ct != "application/json":
        fail("%s Content-Type application/json" % what, repr(r.content_type))


def expect_status(r, code, reason, what, message=None, details=None, message_contains=None):
    """Checks an error/status answer: HTTP code, a v1 Status body with status Failure, code and reason."""
    expect_code(r, code, what)
    b = r.json
    expect(isinstance(b, dict) and b.get("kind") == "Status" and b.get("apiVersion") == "v1",
           "%s body to be a v1 Status" % what, r)
    expect_eq(b.get("status"), "Failure", "%s Status.status" % what)
    expect_eq(b.get("code"), code, "%s Status.code" % what)
    expect_eq(b.get("reason"), reason, "%s Status.reason" % what)
    if message is not None:
        expect_eq(b.get("message"), message, "%s Status.message" % what)
    if message_contains is not None:
        for part in ([message_contains] if isinstance(message_contains, str) else message_contains):
            expect(part in (b.get("message") or ""), "%s message containing %r" % (what, part), b.get("message"))
    if details is not None:
        expect_eq(b.get("details"), details, "%s Status.details" % what)
    return b


def dig(obj, *path, **kw):
    cur = obj
    for p in path:
        if isinstance(cur, dict):
            cur = cur.get(p)
        elif isinstance(cur, list) and isinstance(p, int) and -len(cur) <= p < len(cur):
            cur = cur[p]
        else:
            return kw.get("default")
        if cur is None:
            return kw.get("default")
    return cur


def rv_of(obj):
    return dig(obj, "metadata", "resourceVersion")


def rv_int(rv):
    try:
        return int(rv)
    except (TypeError, ValueError):
        return None


def expect_rv_newer(new, old, what):
    """resourceVersions are opaque: they must differ; if both are integers (etcd revisions) they must grow."""
    expect(isinstance(new, str) and new != "", "%s: a non-empty string resourceVersion" % what, new)
    expect(new != old, "%s: a new resourceVersion (old %s)" % (what, old), new)
    a, b = rv_int(new), rv_int(old)
    if a is not None and b is not None:
        expect(a > b, "%s: resourceVersion %s > %s" % (what, new, old), new)


def poll(fn, timeout=POLL_TIMEOUT, interval=0.2):
    """Calls fn() until it returns (True, value) or the deadline passes; returns (ok, last value)."""
    deadline = time.time() + timeout
    last = None
    while True:
        ok, last = fn()
        if ok:
            return True, last
        if time.time() >= deadline:
            return False, last
        time.sleep(interval)
        interval = min(interval * 1.5, 1.0)


TIMESTAMP_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

CHECKS = []


def check(fn):
    CHECKS.append((fn.__name__, fn))
    return fn


def qs(**params):
    return "?" + urllib.parse.urlencode([(k, v) for k, v in params.items() if v is not None])


class Suite(object):
    def __init__(self, client, kc, verbose=False):
        self.c = client
        self.kc = kc
        self.verbose = verbose
        self.rid = "".join(random.choice(string.ascii_lowercase + string.digits) for _ in range(6))
        self.group = "r%s.conformance.quiver.dev" % self.rid
        self.version = "v1alpha1"
        self.short = "cw" + self.rid
        self.ns_seq = 0
        self.crd_state = {}      # plural -> "ok" | "deleted" | failure message
        self.crds_created = []


class Ctx(object):
    """Per-check helpers. Everything registered here is cleaned up when the check ends."""

    def __init__(self, suite):
        self.s = suite
        self.c = suite.c
        self.g = suite.group
        self.v = suite.version
        self.gv = "%s/%s" % (suite.group, suite.version)
        self.cleanups = []
        self.namespaces = []
        self.watches = []

    # -- namespaces and cleanup --------------------------------------------------------------
    def ns(self):
        self.s.ns_seq += 1
        name = "conf-%s-%d" % (self.s.rid, self.s.ns_seq)
        body = {"apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": name, "labels": {"conformance.quiver.dev/run": self.s.rid}}}
        r = self.c.post("/api/v1/namespaces", body)
        if r.status != 201:
            raise CheckFailed("expected setup: POST namespace %s -> HTTP 201, got %r" % (name, r))
        self.namespaces.append(name)
        return name

    def defer(self, fn, *args):
        self.cleanups.append((fn, args))

    def strip_finalizers_later(self, path):
        self.defer(strip_finalizers, self.c, path)

    def watch(self, path, accept="application/json", sock_timeout=30.0):
        w = WatchStream(self.c, path, accept=accept, sock_timeout=sock_timeout)
        self.watches.append(w)
        return w

    def cleanup(self):
        for w in self.watches:
            w.close()
        for fn, args in reversed(self.cleanups):
            try:
                fn(*args)
            except Exception:  # noqa: BLE001
                pass
        for name in self.namespaces:
            try:
                self.c.delete("/api/v1/namespaces/" + name, timeout=15)
            except Exception:  # noqa: BLE001
                pass

    # -- CRDs --------------------------------------------------------------------------------
    def need(self, plural):
        st = self.s.crd_state.get(plural)
        if st == "ok":
            return
        if st is not None:
            raise CheckFailed("expected setup: CRD %s.%s usable, got %s" % (plural, self.g, st))
        try:
            create_crd(self, plural)
            self.s.crd_state[plural] = "ok"
        except CheckFailed as e:
            self.s.crd_state[plural] = "setup failed (%s)" % e
            raise

    def need_widgets(self):
        self.need("widgets")

    # -- custom resources ----------------------------------------------------------------------
    def rpath(self, plural, ns, name=None, sub=None, query=""):
        p = "/apis/%s/%s/namespaces/%s/%s" % (self.g, self.v, ns, plural)
        if name:
            p += "/" + name
        if sub:
            p += "/" + sub
        return p + query

    def wpath(self, ns, name=None, sub=None, query=""):
        return self.rpath("widgets", ns, name, sub, query)

    def widget(self, name, size=1, color="red", image="img:1", labels=None, finalizers=None, **spec):
        meta = {"name": name}
        if labels:
            meta["labels"] = labels
        if finalizers:
            meta["finalizers"] = finalizers
        sp = {"image": image}
        if size is not None:
            sp["size"] = size
        if color is not None:
            sp["color"] = color
        sp.update(spec)
        return {"apiVersion": self.gv, "kind": "Widget", "metadata": meta, "spec": sp}

    def create_widget(self, ns, name, **kw):
        body = self.widget(name, **kw)
        r = self.c.post(self.wpath(ns), body)
        expect_code(r, 201, "POST Widget %s" % name)
        if kw.get("finalizers"):
            self.strip_finalizers_later(self.wpath(ns, name))
        return r.json

    def get_widget(self, ns, name):
        return expect_code(self.c.get(self.wpath(ns, name)), 200, "GET Widget %s" % name)

    # -- built-ins -----------------------------------------------------------------------------
    def cm_path(self, ns, name=None):
        return "/api/v1/namespaces/%s/configmaps%s" % (ns, "/" + name if name else "")

    def create_cm(self, ns, name, data=None, **meta):
        m = {"name": name}
        m.update(meta)
        r = self.c.post(self.cm_path(ns), {"apiVersion": "v1", "kind": "ConfigMap", "metadata": m,
                                           "data": data if data is not None else {"k": "v"}})
        expect_code(r, 201, "POST ConfigMap %s" % name)
        if meta.get("finalizers"):
            self.strip_finalizers_later(self.cm_path(ns, name))
        return r.json


def strip_finalizers(c, path):
    r = c.get(path, timeout=10)
    if r.status == 200 and dig(r.json, "metadata", "finalizers"):
        c.patch(path, {"metadata": {"finalizers": None}}, ctype=MERGE, timeout=10)


def deployment(name, containers=None, replicas=None, labels=None):
    labels = labels or {"app": name}
    spec = {"selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels},
                         "spec": {"containers": containers or [
                             {"name": "main", "image": IMAGE, "ports": [{"containerPort": 8080}]}]}}}
    if replicas is not None:
        spec["replicas"] = replicas
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": labels},
            "spec": spec}


def widget_crd(s):
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets." + s.group, "labels": {"conformance.quiver.dev/run": s.rid}},
        "spec": {
            "group": s.group, "scope": "Namespaced",
            "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "listKind": "WidgetList",
                      "shortNames": [s.short]},
            "versions": [{
                "name": s.version, "served": True, "storage": True,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "required": ["image"], "properties": {
                        "size": {"type": "integer", "minimum": 1},
                        "color": {"type": "string", "enum": ["red", "blue"]},
                        "image": {"type": "string"},
                        "tag": {"type": "string", "pattern": "^[a-z0-9.-]+$"},
                        "replicas": {"type": "integer", "minimum": 0},
                        "mode": {"type": "string", "default": "auto"},
                        "config": {"type": "object", "properties": {
                            "timeout": {"type": "integer", "default": 30},
                            "retries": {"type": "integer"}}},
                        "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True}}},
                    "status": {"type": "object", "properties": {
                        "phase": {"type": "string"},
                        "replicas": {"type": "integer"},
                        "selector": {"type": "string"},
                        "observedGeneration": {"type": "integer", "format": "int64"}}}}}},
                "subresources": {"status": {}, "scale": {"specReplicasPath": ".spec.replicas",
                                                         "statusReplicasPath": ".status.replicas",
                                                         "labelSelectorPath": ".status.selector"}},
                "additionalPrinterColumns": [
                    {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                    {"name": "Color", "type": "string", "jsonPath": ".spec.color"},
                    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}]}}


def gizmo_crd(s):
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "gizmos." + s.group, "labels": {"conformance.quiver.dev/run": s.rid}},
        "spec": {
            "group": s.group, "scope": "Namespaced",
            "names": {"plural": "gizmos", "singular": "gizmo", "kind": "Gizmo", "listKind": "GizmoList"},
            "versions": [{
                "name": s.version, "served": True, "storage": True,
                "schema": {"openAPIV3Schema": {"type": "object", "properties": {
                    "spec": {"type": "object", "properties": {
                        "model": {"type": "string"}, "count": {"type": "integer"}}}}}}}]}}


def create_crd(x, plural):
    """Creates the CRD and waits (<= 30 s) until it is Established, its names are accepted and its
    collection answers a LIST."""
    s = x.s
    body = widget_crd(s) if plural == "widgets" else gizmo_crd(s)
    name = body["metadata"]["name"]
    base = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
    r = x.c.post(base, body)
    b = expect_code(r, 201, "POST CustomResourceDefinition %s" % name)
    s.crds_created.append(name)
    expect_eq(dig(b, "kind"), "CustomResourceDefinition", "created CRD kind")
    expect(isinstance(dig(b, "metadata", "uid"), str) and dig(b, "metadata", "uid"),
           "created CRD metadata.uid", dig(b, "metadata"))
    expect_eq(dig(b, "spec", "conversion", "strategy"), "None", "defaulted spec.conversion.strategy")

    def established():
        rr = x.c.get(base + "/" + name)
        if rr.status != 200:
            return False, rr
        conds = {c.get("type"): c.get("status") for c in dig(rr.json, "status", "conditions", default=[]) or []}
        return conds.get("Established") == "True" and conds.get("NamesAccepted") == "True", rr

    ok, last = poll(established)
    expect(ok, "CRD %s conditions Established=True and NamesAccepted=True within %ds" % (name, POLL_TIMEOUT),
           dig(last.json, "status") if isinstance(last, Resp) else last)
    acc = dig(last.json, "status", "acceptedNames") or {}
    expect_eq(acc.get("plural"), plural, "status.acceptedNames.plural")
    expect_eq(acc.get("kind"), body["spec"]["names"]["kind"], "status.acceptedNames.kind")
    if plural == "widgets":
        expect_eq(acc.get("shortNames"), [s.short], "status.acceptedNames.shortNames")
    expect_eq(dig(last.json, "status", "storedVersions"), [s.version], "status.storedVersions")

    def served():
        rr = x.c.get("/apis/%s/%s/%s" % (s.group, s.version, plural))
        return rr.status == 200, rr

    ok, last = poll(served)
    expect(ok, "LIST /apis/%s/%s/%s -> 200 within %ds of Established" % (s.group, s.version, plural, POLL_TIMEOUT),
           last)


def find_resource(resources, name):
    for res in resources or []:
        if res.get("name") == name:
            return res
    return None


def expect_api_resource(resources, name, namespaced, kind, verbs, what, short_names=None, group=None,
                        version=None):
    res = find_resource(resources, name)
    expect(res is not None, "%s lists %r" % (what, name), [r.get("name") for r in resources or []])
    expect_eq(res.get("namespaced"), namespaced, "%s %s.namespaced" % (what, name))
    expect_eq(res.get("kind"), kind, "%s %s.kind" % (what, name))
    expect_eq(sorted(res.get("verbs") or []), sorted(verbs), "%s %s.verbs (as a set)" % (what, name))
    if short_names is not None:
        for sn in short_names:
            expect(sn in (res.get("shortNames") or []), "%s %s.shortNames containing %r" % (what, name, sn),
                   res.get("shortNames"))
    if group is not None:
        expect_eq(res.get("group"), group, "%s %s.group" % (what, name))
    if version is not None:
        expect_eq(res.get("version"), version, "%s %s.version" % (what, name))
    return res


def expect_ct_is(r, want, what):
    got = (r.content_type or "").replace(" ", "").lower()
    expect(got == want.replace(" ", "").lower(), "%s Content-Type %s" % (what, want), repr(r.content_type))


def agg_item(body, name):
    for it in dig(body, "items", default=[]) or []:
        if (dig(it, "metadata", "name") or "") == name:
            return it
    return None


def agg_resource(item, version, resource):
    for v in dig(item, "versions", default=[]) or []:
        if v.get("version") == version:
            for res in v.get("resources") or []:
                if res.get("resource") == resource:
                    return res
    return None


def agg_sub(res, sub):
    for s in (res or {}).get("subresources") or []:
        if s.get("subresource") == sub:
            return s
    return None


# ==============================================================================================
# 1. Discovery and OpenAPI
# ==============================================================================================

@check
def discovery_version(x):
    r = x.c.get("/version")
    b = expect_code(r, 200, "GET /version")
    expect_json_ct(r, "GET /version")
    gv = dig(b, "gitVersion")
    expect(isinstance(gv, str) and re.match(r"^v\d+\.\d+\.\d+", gv), "gitVersion like v1.30.0", gv)
    for k in ("major", "minor"):
        expect(isinstance(b.get(k), str) and re.match(r"^\d+\+?$", b[k]), "%s as a numeric string" % k, b.get(k))
    m = re.match(r"^v(\d+)\.(\d+)", gv)
    expect_eq(b["major"].rstrip("+"), m.group(1), "major (from gitVersion %s)" % gv)
    expect_eq(b["minor"].rstrip("+"), m.group(2), "minor (from gitVersion %s)" % gv)


@check
def discovery_api_versions(x):
    r = x.c.get("/api")
    b = expect_code(r, 200, "GET /api")
    expect_json_ct(r, "GET /api")
    expect_eq(dig(b, "kind"), "APIVersions", "kind")
    expect("v1" in (dig(b, "versions") or []), "versions containing v1", dig(b, "versions"))
    expect(isinstance(dig(b, "serverAddressByClientCIDRs"), list), "serverAddressByClientCIDRs list", b)


@check
def discovery_core_v1_resources(x):
    r = x.c.get("/api/v1")
    b = expect_code(r, 200, "GET /api/v1")
    expect_json_ct(r, "GET /api/v1")
    expect_eq(dig(b, "kind"), "APIResourceList", "kind")
    expect_eq(dig(b, "groupVersion"), "v1", "groupVersion")
    res = dig(b, "resources") or []
    expect_api_resource(res, "namespaces", False, "Namespace", ["create", "delete", "get", "list", "patch", "update", "watch"],
                        "/api/v1", ["ns"])
    for name, kind, sn in (("configmaps", "ConfigMap", ["cm"]), ("secrets", "Secret", None),
                           ("services", "Service", ["svc"]), ("serviceaccounts", "ServiceAccount", ["sa"]),
                           ("events", "Event", ["ev"]), ("pods", "Pod", ["po"])):
        expect_api_resource(res, name, True, kind, CRD_VERBS, "/api/v1", sn)
    expect_api_resource(res, "pods/status", True, "Pod", SUB_VERBS, "/api/v1")
    expect_api_resource(res, "namespaces/status", False, "Namespace", SUB_VERBS, "/api/v1")


@check
def discovery_api_groups(x):
    r = x.c.get("/apis")
    b = expect_code(r, 200, "GET /apis")
    expect_json_ct(r, "GET /apis")
    expect_eq(dig(b, "kind"), "APIGroupList", "kind")
    groups = {g.get("name"): g for g in dig(b, "groups", default=[]) or []}
    for name, gv in (("apps", "apps/v1"), ("coordination.k8s.io", "coordination.k8s.io/v1"),
                     ("autoscaling", "autoscaling/v2"), ("policy", "policy/v1"),
                     ("apiextensions.k8s.io", "apiextensions.k8s.io/v1")):
        expect(name in groups, "APIGroupList containing group %s" % name, sorted(groups))
        gvs = [v.get("groupVersion") for v in groups[name].get("versions") or []]
        expect(gv in gvs, "group %s serving %s" % (name, gv), gvs)
        pv = dig(groups[name], "preferredVersion", "groupVersion")
        expect(pv in gvs, "group %s preferredVersion among its versions" % name, pv)


@check
def discovery_apps_v1_resources(x):
    r = x.c.get("/apis/apps/v1")
    b = expect_code(r, 200, "GET /apis/apps/v1")
    expect_eq(dig(b, "kind"), "APIResourceList", "kind")
    expect_eq(dig(b, "groupVersion"), "apps/v1", "groupVersion")
    res = dig(b, "resources") or []
    expect_api_resource(res, "deployments", True, "Deployment", CRD_VERBS, "/apis/apps/v1", ["deploy"])
    expect_api_resource(res, "deployments/scale", True, "Scale", SUB_VERBS, "/apis/apps/v1",
                        group="autoscaling", version="v1")
    expect_api_resource(res, "deployments/status", True, "Deployment", SUB_VERBS, "/apis/apps/v1")


@check
def discovery_aggregated_api(x):
    r = x.c.get("/api", accept=AGGREGATED_ACCEPT)
    b = expect_code(r, 200, "GET /api (aggregated discovery Accept)")
    expect_ct_is(r, AGGREGATED_V2_CT, "aggregated /api")
    expect_eq(dig(b, "kind"), "APIGroupDiscoveryList", "kind")
    expect_eq(dig(b, "apiVersion"), "apidiscovery.k8s.io/v2", "apiVersion")
    item = agg_item(b, "")
    expect(item is not None, "an item for the core group (no name)", short(b))
    pods = agg_resource(item, "v1", "pods")
    expect(pods is not None, "core v1 listing pods", short(item))
    expect_eq(pods.get("scope"), "Namespaced", "pods.scope")
    expect_eq(sorted(pods.get("verbs") or []), sorted(CRD_VERBS), "pods.verbs")
    expect(agg_sub(pods, "status") is not None, "pods subresource status", pods.get("subresources"))
    nsr = agg_resource(item, "v1", "namespaces")
    expect(nsr is not None and nsr.get("scope") == "Cluster", "namespaces with scope Cluster", nsr)


@check
def discovery_aggregated_apis(x):
    r = x.c.get("/apis", accept=AGGREGATED_ACCEPT)
    b = expect_code(r, 200, "GET /apis (aggregated discovery Accept)")
    expect_ct_is(r, AGGREGATED_V2_CT, "aggregated /apis")
    expect_eq(dig(b, "kind"), "APIGroupDiscoveryList", "kind")
    expect_eq(dig(b, "apiVersion"), "apidiscovery.k8s.io/v2", "apiVersion")
    for g in ("apps", "coordination.k8s.io", "autoscaling", "policy", "apiextensions.k8s.io"):
        expect(agg_item(b, g) is not None, "group %s listed" % g, [dig(i, "metadata", "name") for i in b["items"]])
    dep = agg_resource(agg_item(b, "apps"), "v1", "deployments")
    expect(dep is not None, "apps/v1 deployments", short(agg_item(b, "apps")))
    expect_eq(dep.get("scope"), "Namespaced", "deployments.scope")
    expect_eq(dig(agg_sub(dep, "scale"), "responseKind"), {"group": "autoscaling", "version": "v1", "kind": "Scale"},
              "deployments/scale responseKind")


@check
def openapi_v3_index_and_apps_document(x):
    r = x.c.get("/openapi/v3")
    expect_code(r, 200, "GET /openapi/v3")
    b = r.json
    expect(isinstance(dig(b, "paths"), dict), "a JSON index with 'paths'", r)
    entry = b["paths"].get("apis/apps/v1")
    expect(isinstance(entry, dict) and isinstance(entry.get("serverRelativeURL"), str),
           "paths['apis/apps/v1'].serverRelativeURL", entry)
    url = entry["serverRelativeURL"]
    expect(url.startswith("/openapi/v3/apis/apps/v1"), "serverRelativeURL under /openapi/v3/apis/apps/v1", url)
    for k in ("api/v1", "apis/coordination.k8s.io/v1"):
        expect(k in b["paths"], "index listing %s" % k, sorted(b["paths"])[:40])
    d = x.c.get(url)
    doc = expect_code(d, 200, "GET %s" % url)
    expect_json_ct(d, "GET %s" % url)
    expect(isinstance(doc, dict) and str(doc.get("openapi", "")).startswith("3."), "an OpenAPI 3 document", d)
    schemas = dig(doc, "components", "schemas") or {}
    expect("io.k8s.api.apps.v1.Deployment" in schemas, "components.schemas with io.k8s.api.apps.v1.Deployment",
           sorted(schemas)[:20])
    containers = dig(schemas, "io.k8s.api.core.v1.PodSpec", "properties", "containers") or {}
    expect_eq(containers.get("x-kubernetes-patch-merge-key"), "name",
              "PodSpec.containers x-kubernetes-patch-merge-key (kubectl's strategic merge needs it)")


# ==============================================================================================
# 2. CRD lifecycle and discovery of custom resources
# ==============================================================================================

@check
def crd_create_and_established(x):
    if x.s.crd_state.get("widgets") == "ok":
        raise CheckSkipped("the widgets CRD was already created by an earlier check")
    x.need_widgets()


@check
def crd_discovery_group_version(x):
    x.need_widgets()
    path = "/apis/%s/%s" % (x.g, x.v)

    def listed():
        r = x.c.get(path)
        return r.status == 200 and find_resource(dig(r.json, "resources"), "widgets/scale") is not None, r

    ok, r = poll(listed)
    expect(ok, "GET %s -> 200 listing widgets, widgets/status and widgets/scale within %ds" % (path, POLL_TIMEOUT), r)
    b = r.json
    expect_eq(dig(b, "kind"), "APIResourceList", "kind")
    expect_eq(dig(b, "groupVersion"), x.gv, "groupVersion")
    res = b.get("resources")
    w = expect_api_resource(res, "widgets", True, "Widget", CRD_VERBS, path, [x.s.short])
    expect_eq(w.get("singularName"), "widget", "widgets.singularName")
    expect_api_resource(res, "widgets/status", True, "Widget", SUB_VERBS, path)
    expect_api_resource(res, "widgets/scale", True, "Scale", SUB_VERBS, path, group="autoscaling", version="v1")
    g = expect_code(x.c.get("/apis/" + x.g), 200, "GET /apis/" + x.g)
    expect_eq(dig(g, "kind"), "APIGroup", "/apis/%s kind" % x.g)
    expect_eq(dig(g, "preferredVersion"), {"groupVersion": x.gv, "version": x.v}, "APIGroup.preferredVersion")

    def in_list():
        rr = x.c.get("/apis")
        return x.g in [gg.get("name") for gg in dig(rr.json, "groups", default=[]) or []], rr

    ok, rr = poll(in_list)
    expect(ok, "GET /apis listing group %s" % x.g, rr)


@check
def crd_aggregated_discovery(x):
    x.need_widgets()

    def listed():
        r = x.c.get("/apis", accept=AGGREGATED_ACCEPT)
        return r.status == 200 and agg_resource(agg_item(r.json, x.g), x.v, "widgets") is not None, r

    ok, r = poll(listed)
    expect(ok, "aggregated GET /apis listing %s/widgets within %ds" % (x.gv, POLL_TIMEOUT), r)
    res = agg_resource(agg_item(r.json, x.g), x.v, "widgets")
    expect_eq(res.get("scope"), "Namespaced", "widgets.scope")
    expect_eq(sorted(res.get("verbs") or []), sorted(CRD_VERBS), "widgets.verbs")
    expect_eq(res.get("shortNames"), [x.s.short], "widgets.shortNames")
    expect_eq(dig(agg_sub(res, "scale"), "responseKind"), {"group": "autoscaling", "version": "v1", "kind": "Scale"},
              "widgets/scale responseKind")
    expect(agg_sub(res, "status") is not None, "widgets/status subresource", res.get("subresources"))


@check
def crd_openapi_v3_document(x):
    x.need_widgets()
    key = "apis/%s/%s" % (x.g, x.v)

    def listed():
        r = x.c.get("/openapi/v3")
        return r.status == 200 and key in (dig(r.json, "paths") or {}), r

    ok, r = poll(listed)
    expect(ok, "/openapi/v3 index listing %s within %ds" % (key, POLL_TIMEOUT), r)
    url = dig(r.json, "paths", key, "serverRelativeURL")
    expect(isinstance(url, str) and url.startswith("/openapi/v3/" + key), "serverRelativeURL for " + key, url)
    doc = expect_code(x.c.get(url), 200, "GET " + url)
    schemas = dig(doc, "components", "schemas") or {}
    names = [k for k in schemas if k.endswith(".%s.Widget" % x.v)]
    expect(len(names) == 1, "one components.schemas entry for Widget", sorted(schemas))
    gvk = schemas[names[0]].get("x-kubernetes-group-version-kind")
    expect(isinstance(gvk, list) and {"group": x.g, "version": x.v, "kind": "Widget"} in gvk,
           "x-kubernetes-group-version-kind of the Widget schema", gvk)


# ==============================================================================================
# 3. Custom resource CRUD, validation, pruning, defaulting
# ==============================================================================================

@check
def cr_create_returns_server_fields(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns), x.widget("w1", size=3, labels={"app": "demo"}))
    b = expect_code(r, 201, "POST Widget")
    expect_json_ct(r, "POST Widget")
    expect_eq(b.get("apiVersion"), x.gv, "apiVersion")
    expect_eq(b.get("kind"), "Widget", "kind")
    m = b.get("metadata") or {}
    expect_eq(m.get("name"), "w1", "metadata.name")
    expect_eq(m.get("namespace"), ns, "metadata.namespace (from the URL)")
    expect(isinstance(m.get("uid"), str) and len(m["uid"]) > 0, "metadata.uid", m)
    expect(isinstance(m.get("resourceVersion"), str) and m["resourceVersion"] != "",
           "metadata.resourceVersion as a non-empty string", m.get("resourceVersion"))
    expect(isinstance(m.get("creationTimestamp"), str) and TIMESTAMP_RE.match(m["creationTimestamp"]),
           "metadata.creationTimestamp like 2006-01-02T15:04:05Z", m.get("creationTimestamp"))
    expect_eq(m.get("generation"), 1, "metadata.generation")
    expect_eq(m.get("labels"), {"app": "demo"}, "metadata.labels")
    expect_eq(b.get("spec"), {"size": 3, "color": "red", "image": "img:1", "mode": "auto"},
              "spec (as sent, plus the schema default mode=auto)")


@check
def cr_get_and_list(x):
    x.need_widgets()
    ns = x.ns()
    a = x.create_widget(ns, "w1")
    x.create_widget(ns, "w2", color="blue")
    r = x.c.get(x.wpath(ns, "w1"))
    g = expect_code(r, 200, "GET Widget")
    expect_json_ct(r, "GET Widget")
    expect_eq(dig(g, "metadata", "uid"), dig(a, "metadata", "uid"), "GET uid")
    expect_eq(rv_of(g), rv_of(a), "GET resourceVersion (unchanged since create)")
    r = x.c.get(x.wpath(ns))
    lst = expect_code(r, 200, "LIST widgets")
    expect_eq(lst.get("kind"), "WidgetList", "list kind")
    expect_eq(lst.get("apiVersion"), x.gv, "list apiVersion")
    lrv = rv_of(lst)
    expect(isinstance(lrv, str) and lrv != "", "list metadata.resourceVersion as a non-empty string", lst.get("metadata"))
    items = lst.get("items")
    expect(isinstance(items, list), "items list", lst)
    expect_eq(sorted(dig(i, "metadata", "name") for i in items), ["w1", "w2"], "item names")
    for i in items:
        expect(i.get("apiVersion") == x.gv and i.get("kind") == "Widget", "items carrying apiVersion and kind",
               {"apiVersion": i.get("apiVersion"), "kind": i.get("kind")})
        if rv_int(lrv) is not None and rv_int(rv_of(i)) is not None:
            expect(rv_int(lrv) >= rv_int(rv_of(i)), "list resourceVersion >= item resourceVersions", (lrv, rv_of(i)))


@check
def cr_update_stale_resourceversion_conflict(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "w1", size=3)
    old = x.get_widget(ns, "w1")
    new = json.loads(json.dumps(old))
    new["spec"]["size"] = 5
    u = expect_code(x.c.put(x.wpath(ns, "w1"), new), 200, "PUT with current resourceVersion")
    expect_eq(dig(u, "spec", "size"), 5, "updated spec.size")
    expect_eq(dig(u, "metadata", "generation"), 2, "generation after a spec change")
    stale = json.loads(json.dumps(old))
    stale["spec"]["size"] = 6
    r = x.c.put(x.wpath(ns, "w1"), stale)
    expect_status(r, 409, "Conflict", "PUT with stale resourceVersion",
                  message='Operation cannot be fulfilled on widgets.%s "w1": %s' % (x.g, CONFLICT_SUFFIX),
                  details={"name": "w1", "group": x.g, "kind": "widgets"})
    expect_eq(dig(x.get_widget(ns, "w1"), "spec", "size"), 5, "spec.size after the rejected update")


@check
def cr_update_requires_resourceversion(x):
    # Custom resources don't allow unconditional updates (the ConfigMap check covers the opposite).
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "w1", size=3)
    obj = x.get_widget(ns, "w1")
    del obj["metadata"]["resourceVersion"]
    obj["spec"]["size"] = 4
    r = x.c.put(x.wpath(ns, "w1"), obj)
    b = expect_status(r, 422, "Invalid", "PUT Widget without metadata.resourceVersion")
    fields = [c.get("field") for c in dig(b, "details", "causes", default=[]) or []]
    expect("metadata.resourceVersion" in fields, "a cause for field metadata.resourceVersion", b.get("details"))


@check
def cr_create_already_exists(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "w1")
    r = x.c.post(x.wpath(ns), x.widget("w1"))
    expect_status(r, 409, "AlreadyExists", "POST existing Widget",
                  message='widgets.%s "w1" already exists' % x.g,
                  details={"name": "w1", "group": x.g, "kind": "widgets"})


@check
def cr_get_not_found(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.get(x.wpath(ns, "nope"))
    expect_status(r, 404, "NotFound", "GET missing Widget", message='widgets.%s "nope" not found' % x.g,
                  details={"name": "nope", "group": x.g, "kind": "widgets"})
    expect_json_ct(r, "404 answer")


def _causes(b):
    return sorted((c.get("reason"), c.get("field")) for c in dig(b, "details", "causes", default=[]) or [])


@check
def cr_validation_invalid_values(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns), x.widget("bad", size=0, color="green"))
    b = expect_status(r, 422, "Invalid", "POST Widget with size 0 and color green",
                      message_contains=['Widget.%s "bad" is invalid: ' % x.g,
                                        "spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1",
                                        'spec.color: Unsupported value: "green": supported values: "red", "blue"'])
    expect_eq(dig(b, "details", "kind"), "Widget", "details.kind (the Kind, not the resource)")
    expect_eq(dig(b, "details", "group"), x.g, "details.group")
    expect_eq(dig(b, "details", "name"), "bad", "details.name")
    expect_eq(_causes(b), [("FieldValueInvalid", "spec.size"), ("FieldValueNotSupported", "spec.color")],
              "details.causes (reason, field)")
    expect_eq(x.c.get(x.wpath(ns, "bad")).status, 404, "GET of the rejected object -> HTTP status")


@check
def cr_validation_type_and_required(x):
    x.need_widgets()
    ns = x.ns()
    body = {"apiVersion": x.gv, "kind": "Widget", "metadata": {"name": "bad2"}, "spec": {"size": "three"}}
    r = x.c.post(x.wpath(ns), body)
    b = expect_status(r, 422, "Invalid", "POST Widget with a string size and no image",
                      message_contains=["spec.size in body must be of type integer", "spec.image: Required value"])
    expect_eq(_causes(b), [("FieldValueRequired", "spec.image"), ("FieldValueTypeInvalid", "spec.size")],
              "details.causes (reason, field)")


@check
def cr_validation_pattern(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns), x.widget("bad3", tag="Not_Valid!"))
    b = expect_status(r, 422, "Invalid", "POST Widget with spec.tag not matching its pattern",
                      message_contains="spec.tag in body should match '^[a-z0-9.-]+$'")
    expect_eq(_causes(b), [("FieldValueInvalid", "spec.tag")], "details.causes (reason, field)")
    ok = x.c.post(x.wpath(ns), x.widget("good3", tag="v1.2-rc"))
    expect_code(ok, 201, "POST Widget with a matching spec.tag")


@check
def cr_schema_defaults(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns), x.widget("d1", config={}))
    b = expect_code(r, 201, "POST Widget without spec.mode and with an empty spec.config")
    expect_eq(dig(b, "spec", "mode"), "auto", "defaulted spec.mode in the create response")
    expect_eq(dig(b, "spec", "config"), {"timeout": 30}, "defaulted nested spec.config")
    g = x.get_widget(ns, "d1")
    expect_eq(dig(g, "spec", "mode"), "auto", "stored spec.mode")
    expect_eq(dig(g, "spec", "config", "timeout"), 30, "stored spec.config.timeout")
    r = x.c.post(x.wpath(ns), x.widget("d2", mode="manual"))
    expect_eq(dig(expect_code(r, 201, "POST Widget with spec.mode"), "spec", "mode"), "manual",
              "explicit spec.mode kept")


@check
def cr_preserve_unknown_fields(x):
    x.need_widgets()
    ns = x.ns()
    extra = {"anything": {"nested": [1, "two", {"three": True}]}, "flag": True}
    r = x.c.post(x.wpath(ns), x.widget("p1", extra=extra, config={"retries": 2, "bogusNested": 1}))
    b = expect_code(r, 201, "POST Widget with x-kubernetes-preserve-unknown-fields content")
    expect_eq(dig(b, "spec", "extra"), extra, "spec.extra kept as sent")
    expect_eq(dig(b, "spec", "config"), {"retries": 2, "timeout": 30}, "spec.config (unknown nested field pruned)")
    g = x.get_widget(ns, "p1")
    expect_eq(dig(g, "spec", "extra"), extra, "stored spec.extra")


@check
def cr_unknown_field_strict_400(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns, query="?fieldValidation=Strict"), x.widget("uf1", bogus="nope"))
    expect_status(r, 400, "BadRequest", "POST ?fieldValidation=Strict with spec.bogus",
                  message='Widget in version "%s" cannot be handled as a Widget: strict decoding error: '
                          'unknown field "spec.bogus"' % x.v)
    expect_eq(x.c.get(x.wpath(ns, "uf1")).status, 404, "GET of the rejected object -> HTTP status")


@check
def cr_unknown_field_pruned_with_warning(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns), x.widget("uf3", bogus="nope"))
    b = expect_code(r, 201, "POST Widget with an unknown field (default fieldValidation)")
    expect("bogus" not in (b.get("spec") or {}), "spec.bogus pruned from the response", b.get("spec"))
    warnings = r.header_all("Warning")
    expect(any("unknown field" in w and "spec.bogus" in w for w in warnings),
           'a Warning header like 299 - "unknown field \\"spec.bogus\\""', warnings)
    expect(any(w.startswith("299 ") for w in warnings), "the Warning header with code 299", warnings)
    g = x.get_widget(ns, "uf3")
    expect("bogus" not in (g.get("spec") or {}), "spec.bogus not stored", g.get("spec"))


@check
def cr_dry_run_create(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.wpath(ns, query="?dryRun=All"), x.widget("dry", size=2))
    b = expect_code(r, 201, "POST ?dryRun=All")
    expect_eq(dig(b, "metadata", "name"), "dry", "metadata.name")
    expect(dig(b, "metadata", "uid"), "a uid in the dry-run answer", b.get("metadata"))
    expect_eq(dig(b, "metadata", "generation"), 1, "metadata.generation")
    expect(not dig(b, "metadata", "resourceVersion"), "no resourceVersion in the dry-run answer",
           dig(b, "metadata", "resourceVersion"))
    expect_eq(dig(b, "spec", "mode"), "auto", "defaults applied in the dry run")
    expect_status(x.c.get(x.wpath(ns, "dry")), 404, "NotFound", "GET after dry-run create")
    lst = expect_code(x.c.get(x.wpath(ns)), 200, "LIST")
    expect_eq(lst.get("items") or [], [], "items after a dry-run create")


# ==============================================================================================
# 4. generation, resourceVersion, status subresource
# ==============================================================================================

@check
def generation_spec_change_put(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "g1", size=1)
    obj = json.loads(json.dumps(c))
    obj["spec"]["size"] = 2
    u = expect_code(x.c.put(x.wpath(ns, "g1"), obj), 200, "PUT spec change")
    expect_eq(dig(u, "metadata", "generation"), 2, "generation after PUT spec change")
    expect_rv_newer(rv_of(u), rv_of(c), "PUT")


@check
def generation_spec_change_patches(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "g1", size=1)
    m = expect_code(x.c.patch(x.wpath(ns, "g1"), {"spec": {"size": 2}}, MERGE), 200, "merge patch spec.size")
    expect_eq(dig(m, "metadata", "generation"), 2, "generation after a merge patch of spec")
    expect_rv_newer(rv_of(m), rv_of(c), "merge patch")
    j = expect_code(x.c.patch(x.wpath(ns, "g1"), [{"op": "replace", "path": "/spec/size", "value": 3}], JSONPATCH),
                    200, "JSON patch spec.size")
    expect_eq(dig(j, "metadata", "generation"), 3, "generation after a JSON patch of spec")
    expect_rv_newer(rv_of(j), rv_of(m), "JSON patch")


@check
def generation_metadata_only_unchanged(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "g1", labels={"app": "a"})
    obj = json.loads(json.dumps(c))
    obj["metadata"]["labels"]["tier"] = "gold"
    u = expect_code(x.c.put(x.wpath(ns, "g1"), obj), 200, "PUT label change")
    expect_eq(dig(u, "metadata", "labels"), {"app": "a", "tier": "gold"}, "labels after PUT")
    expect_eq(dig(u, "metadata", "generation"), 1, "generation after a label-only PUT")
    expect_rv_newer(rv_of(u), rv_of(c), "label PUT")
    p = expect_code(x.c.patch(x.wpath(ns, "g1"), {"metadata": {"annotations": {"note": "x"}}}, MERGE), 200,
                    "merge patch of an annotation")
    expect_eq(dig(p, "metadata", "generation"), 1, "generation after an annotation-only patch")
    expect_rv_newer(rv_of(p), rv_of(u), "annotation patch")


@check
def status_subresource_ignores_spec(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "s1", size=5, labels={"app": "s1"})
    obj = json.loads(json.dumps(c))
    obj["spec"]["size"] = 99
    obj["status"] = {"phase": "Ready", "observedGeneration": 1, "replicas": 0, "selector": "app=s1"}
    r = x.c.put(x.wpath(ns, "s1", "status"), obj)
    u = expect_code(r, 200, "PUT /status")
    expect_eq(dig(u, "spec", "size"), 5, "spec.size after PUT /status (spec changes are ignored)")
    expect_eq(dig(u, "status", "phase"), "Ready", "status.phase after PUT /status")
    expect_eq(dig(u, "metadata", "generation"), 1, "generation after PUT /status")
    expect_rv_newer(rv_of(u), rv_of(c), "PUT /status")
    p = expect_code(x.c.patch(x.wpath(ns, "s1", "status"), {"status": {"phase": "Done"}, "spec": {"size": 42}}, MERGE),
                    200, "merge patch /status")
    expect_eq(dig(p, "status", "phase"), "Done", "status.phase after patching /status")
    expect_eq(dig(p, "spec", "size"), 5, "spec.size after patching /status")
    expect_eq(dig(p, "metadata", "generation"), 1, "generation after patching /status")
    g = x.get_widget(ns, "s1")
    expect_eq((dig(g, "spec", "size"), dig(g, "status", "phase")), (5, "Done"), "stored (spec.size, status.phase)")
    s = expect_code(x.c.get(x.wpath(ns, "s1", "status")), 200, "GET /status")
    expect_eq(dig(s, "status", "phase"), "Done", "GET /status status.phase")


@check
def main_resource_ignores_status(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "s1", labels={"app": "s1"})
    expect_code(x.c.patch(x.wpath(ns, "s1", "status"), {"status": {"phase": "Ready"}}, MERGE), 200, "patch /status")
    obj = x.get_widget(ns, "s1")
    obj["metadata"]["labels"]["tier"] = "gold"
    obj["status"]["phase"] = "Hacked"
    u = expect_code(x.c.put(x.wpath(ns, "s1"), obj), 200, "PUT main resource with a status change")
    expect_eq(dig(u, "status", "phase"), "Ready", "status.phase (status changes via the main resource are ignored)")
    expect_eq(dig(u, "metadata", "labels", "tier"), "gold", "the label change is stored")
    expect_eq(dig(u, "metadata", "generation"), 1, "generation")
    p = expect_code(x.c.patch(x.wpath(ns, "s1"), {"status": {"phase": "Hacked"}}, MERGE), 200,
                    "merge patch of status via the main resource")
    expect_eq(dig(p, "status", "phase"), "Ready", "status.phase after patching status via the main resource")


@check
def resourceversion_changes_on_every_write(x):
    x.need_widgets()
    ns = x.ns()
    rvs = [rv_of(x.create_widget(ns, "r1", labels={"a": "1"}))]
    steps = [
        ("merge patch label", lambda: x.c.patch(x.wpath(ns, "r1"), {"metadata": {"labels": {"a": "2"}}}, MERGE)),
        ("patch /status", lambda: x.c.patch(x.wpath(ns, "r1", "status"), {"status": {"phase": "P"}}, MERGE)),
        ("JSON patch spec", lambda: x.c.patch(x.wpath(ns, "r1"), [{"op": "replace", "path": "/spec/size", "value": 4}],
                                              JSONPATCH)),
    ]
    for what, fn in steps:
        b = expect_code(fn(), 200, what)
        expect_rv_newer(rv_of(b), rvs[-1], what)
        rvs.append(rv_of(b))
    obj = x.get_widget(ns, "r1")
    expect_eq(rv_of(obj), rvs[-1], "GET resourceVersion equals the last write's")
    obj["spec"]["size"] = 5
    b = expect_code(x.c.put(x.wpath(ns, "r1"), obj), 200, "PUT")
    expect_rv_newer(rv_of(b), rvs[-1], "PUT")
    # Writes to another object share the same counter on a real (etcd-backed) server.
    other = x.create_widget(ns, "r2")
    if rv_int(rv_of(other)) is not None and rv_int(rv_of(b)) is not None:
        expect(rv_int(rv_of(other)) > rv_int(rv_of(b)), "a later write to another object to get a larger "
               "resourceVersion (%s)" % rv_of(b), rv_of(other))


@check
def noop_update_keeps_resourceversion(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "n1", size=3)
    p = expect_code(x.c.patch(x.wpath(ns, "n1"), {"spec": {"size": 3}}, MERGE), 200, "no-op merge patch")
    expect_eq(rv_of(p), rv_of(c), "resourceVersion after a no-op patch")
    expect_eq(dig(p, "metadata", "generation"), 1, "generation after a no-op patch")
    g = x.get_widget(ns, "n1")
    u = expect_code(x.c.put(x.wpath(ns, "n1"), g), 200, "PUT of the unchanged object")
    expect_eq(rv_of(u), rv_of(c), "resourceVersion after an unchanged PUT")


# ==============================================================================================
# 5. Patches
# ==============================================================================================

@check
def patch_merge_patch(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "p1", size=2, tag="v1", labels={"app": "p"})
    r = x.c.patch(x.wpath(ns, "p1"), {"metadata": {"labels": {"extra": "yes"}}, "spec": {"color": "blue", "tag": None}},
                  MERGE)
    b = expect_code(r, 200, "merge patch")
    expect_json_ct(r, "merge patch")
    expect_eq(dig(b, "spec", "color"), "blue", "patched spec.color")
    expect("tag" not in (b.get("spec") or {}), "spec.tag removed by a null in the merge patch", b.get("spec"))
    expect_eq(dig(b, "spec", "size"), 2, "untouched spec.size")
    expect_eq(dig(b, "metadata", "labels"), {"app": "p", "extra": "yes"}, "labels merged")


@check
def patch_json_patch_ops(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "p1", size=1, tag="v1", labels={"app": "p"})
    ops = [{"op": "test", "path": "/spec/size", "value": 1},
           {"op": "replace", "path": "/spec/size", "value": 2},
           {"op": "add", "path": "/metadata/labels/added", "value": "yes"},
           {"op": "remove", "path": "/spec/tag"},
           {"op": "add", "path": "/spec/extra", "value": {"list": [1]}},
           {"op": "add", "path": "/spec/extra/list/-", "value": 2}]
    b = expect_code(x.c.patch(x.wpath(ns, "p1"), ops, JSONPATCH), 200, "JSON patch")
    expect_eq(dig(b, "spec", "size"), 2, "replaced spec.size")
    expect_eq(dig(b, "metadata", "labels"), {"app": "p", "added": "yes"}, "labels after add")
    expect("tag" not in (b.get("spec") or {}), "spec.tag removed", b.get("spec"))
    expect_eq(dig(b, "spec", "extra"), {"list": [1, 2]}, "spec.extra after add and append")


@check
def patch_json_patch_failed_test_422(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "p1", color="blue")
    ops = [{"op": "test", "path": "/spec/color", "value": "red"}, {"op": "replace", "path": "/spec/size", "value": 8}]
    r = x.c.patch(x.wpath(ns, "p1"), ops, JSONPATCH)
    expect_status(r, 422, "Invalid", "JSON patch with a failing test op",
                  message="the server rejected our request due to an error in our request")
    g = x.get_widget(ns, "p1")
    expect_eq((rv_of(g), dig(g, "spec", "size")), (rv_of(c), 1), "object unchanged (resourceVersion, spec.size)")


@check
def patch_unsupported_media_types_415(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "p1")
    for ct in ("text/plain", "application/json", STRATEGIC):
        r = x.c.patch(x.wpath(ns, "p1"), json.dumps({"spec": {"size": 2}}), ct)
        expect_status(r, 415, "UnsupportedMediaType", "PATCH a custom resource with Content-Type %s" % ct,
                      message=CR_PATCH_415_MESSAGE)
    expect_eq(dig(x.get_widget(ns, "p1"), "spec", "size"), 1, "spec.size after the rejected patches")


@check
def patch_missing_object_404(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.patch(x.wpath(ns, "nope"), {"spec": {"size": 2}}, MERGE)
    expect_status(r, 404, "NotFound", "merge patch of a missing Widget", message='widgets.%s "nope" not found' % x.g)
    r = x.c.patch(x.cm_path(ns, "nope"), {"data": {"a": "b"}}, MERGE)
    expect_status(r, 404, "NotFound", "merge patch of a missing ConfigMap", message='configmaps "nope" not found',
                  details={"name": "nope", "kind": "configmaps"})


@check
def patch_strategic_merge_deployment(x):
    ns = x.ns()
    containers = [{"name": "a", "image": IMAGE, "env": [{"name": "X", "value": "1"}, {"name": "Y", "value": "2"}]},
                  {"name": "b", "image": IMAGE, "env": [{"name": "K", "value": "v"}]}]
    path = "/apis/apps/v1/namespaces/%s/deployments/web" % ns
    expect_code(x.c.post("/apis/apps/v1/namespaces/%s/deployments" % ns, deployment("web", containers, replicas=0)),
                201, "POST Deployment")
    # What kubectl apply sends: containers merged by name, $setElementOrder directives.
    smp = {"spec": {"template": {"spec": {
        "$setElementOrder/containers": [{"name": "a"}, {"name": "b"}],
        "containers": [{"name": "a", "image": IMAGE2,
                        "$setElementOrder/env": [{"name": "X"}, {"name": "Z"}, {"name": "Y"}],
                        "env": [{"name": "Z", "value": "3"}]}]}}}}
    r = x.c.patch(path, smp, STRATEGIC)
    b = expect_code(r, 200, "strategic merge patch of a Deployment")
    cs = dig(b, "spec", "template", "spec", "containers") or []
    expect_eq([c.get("name") for c in cs], ["a", "b"], "container names after the patch")
    expect_eq(cs[0].get("image"), IMAGE2, "container a image")
    expect_eq([(e.get("name"), e.get("value")) for e in cs[0].get("env") or []], [("X", "1"), ("Z", "3"), ("Y", "2")],
              "container a env (merged by name, ordered by $setElementOrder/env)")
    expect_eq((cs[1].get("image"), cs[1].get("env")), (IMAGE, [{"name": "K", "value": "v"}]),
              "container b untouched (image, env)")
    expect_eq(dig(b, "metadata", "generation"), 2, "generation after the patch")
    # Without directives: a new env entry for container b is merged into its list by name.
    r = x.c.patch(path, {"spec": {"template": {"spec": {"containers": [
        {"name": "b", "env": [{"name": "L", "value": "w"}]}]}}}}, STRATEGIC)
    b = expect_code(r, 200, "strategic merge patch adding an env var to container b")
    cs = dig(b, "spec", "template", "spec", "containers") or []
    expect_eq([c.get("name") for c in cs], ["a", "b"], "container names after the second patch")
    expect_eq(sorted((e.get("name"), e.get("value")) for e in cs[1].get("env") or []), [("K", "v"), ("L", "w")],
              "container b env (existing entry kept)")
    expect_eq(len(cs[0].get("env") or []), 3, "container a env entries kept")


@check
def patch_json_patch_configmap(x):
    ns = x.ns()
    x.create_cm(ns, "c1", {"a": "1", "b": "2", "c": "3"})
    ops = [{"op": "test", "path": "/data/a", "value": "1"},
           {"op": "replace", "path": "/data/a", "value": "one"},
           {"op": "remove", "path": "/data/b"},
           {"op": "add", "path": "/data/d", "value": "4"}]
    b = expect_code(x.c.patch(x.cm_path(ns, "c1"), ops, JSONPATCH), 200, "JSON patch of a ConfigMap")
    expect_eq(b.get("data"), {"a": "one", "c": "3", "d": "4"}, "ConfigMap data")
    b = expect_code(x.c.patch(x.cm_path(ns, "c1"), {"data": {"c": None, "e": "5"}}, STRATEGIC), 200,
                    "strategic merge patch of a ConfigMap")
    expect_eq(b.get("data"), {"a": "one", "d": "4", "e": "5"}, "ConfigMap data after the strategic merge patch")


# ==============================================================================================
# 6. Scale subresource
# ==============================================================================================

@check
def cr_scale_subresource(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "s1", replicas=1, labels={"app": "s1"})
    expect_code(x.c.patch(x.wpath(ns, "s1", "status"), {"status": {"replicas": 1, "selector": "app=s1"}}, MERGE),
                200, "patch /status")
    r = x.c.get(x.wpath(ns, "s1", "scale"))
    sc = expect_code(r, 200, "GET /scale")
    expect_json_ct(r, "GET /scale")
    expect_eq((sc.get("apiVersion"), sc.get("kind")), ("autoscaling/v1", "Scale"), "(apiVersion, kind)")
    expect_eq((dig(sc, "metadata", "name"), dig(sc, "metadata", "namespace"), dig(sc, "metadata", "uid")),
              ("s1", ns, dig(c, "metadata", "uid")), "Scale metadata (name, namespace, uid)")
    expect_eq(dig(sc, "spec", "replicas"), 1, "Scale spec.replicas")
    expect_eq(dig(sc, "status", "replicas"), 1, "Scale status.replicas")
    expect_eq(dig(sc, "status", "selector"), "app=s1", "Scale status.selector (a string)")
    sc["spec"]["replicas"] = 3
    u = expect_code(x.c.put(x.wpath(ns, "s1", "scale"), sc), 200, "PUT /scale")
    expect_eq(dig(u, "spec", "replicas"), 3, "Scale spec.replicas after PUT")
    w = x.get_widget(ns, "s1")
    expect_eq(dig(w, "spec", "replicas"), 3, "Widget spec.replicas after PUT /scale")
    expect_eq(dig(w, "metadata", "generation"), 2, "Widget generation after PUT /scale")
    p = expect_code(x.c.patch(x.wpath(ns, "s1", "scale"), {"spec": {"replicas": 2}}, MERGE), 200, "merge patch /scale")
    expect_eq(dig(p, "spec", "replicas"), 2, "Scale spec.replicas after the patch")
    w = x.get_widget(ns, "s1")
    expect_eq((dig(w, "spec", "replicas"), dig(w, "metadata", "generation")), (2, 3),
              "Widget (spec.replicas, generation) after patching /scale")


@check
def deployment_scale_subresource(x):
    ns = x.ns()
    base = "/apis/apps/v1/namespaces/%s/deployments" % ns
    expect_code(x.c.post(base, deployment("web", replicas=0)), 201, "POST Deployment")
    sc = expect_code(x.c.get(base + "/web/scale"), 200, "GET /scale")
    expect_eq((sc.get("apiVersion"), sc.get("kind")), ("autoscaling/v1", "Scale"), "(apiVersion, kind)")
    expect_eq(dig(sc, "spec", "replicas", default=0), 0, "Scale spec.replicas")
    expect_eq(dig(sc, "status", "selector"), "app=web", "Scale status.selector (a string)")
    sc.setdefault("spec", {})["replicas"] = 2
    u = expect_code(x.c.put(base + "/web/scale", sc), 200, "PUT /scale")
    expect_eq(dig(u, "spec", "replicas"), 2, "Scale spec.replicas after PUT")
    d = expect_code(x.c.get(base + "/web"), 200, "GET Deployment")
    expect_eq((dig(d, "spec", "replicas"), dig(d, "metadata", "generation")), (2, 2),
              "Deployment (spec.replicas, generation) after PUT /scale")
    p = expect_code(x.c.patch(base + "/web/scale", {"spec": {"replicas": 0}}, MERGE), 200, "merge patch /scale")
    expect_eq(dig(p, "spec", "replicas", default=0), 0, "Scale spec.replicas after the patch")
    d = expect_code(x.c.get(base + "/web"), 200, "GET Deployment")
    expect_eq(dig(d, "spec", "replicas", default=0), 0, "Deployment spec.replicas after patching /scale")
    # Scale accepts an unconditional update (no resourceVersion).
    u = x.c.put(base + "/web/scale", {"apiVersion": "autoscaling/v1", "kind": "Scale",
                                      "metadata": {"name": "web", "namespace": ns}, "spec": {"replicas": 1}})
    expect_eq(dig(expect_code(u, 200, "PUT /scale without resourceVersion"), "spec", "replicas"), 1,
              "Scale spec.replicas after an unconditional PUT")


# ==============================================================================================
# 7. Built-in kinds
# ==============================================================================================

@check
def namespace_create_defaults(x):
    ns = x.ns()
    b = expect_code(x.c.get("/api/v1/namespaces/" + ns), 200, "GET Namespace")
    expect_eq(dig(b, "status", "phase"), "Active", "status.phase")
    expect_eq(dig(b, "spec", "finalizers"), ["kubernetes"], "spec.finalizers")
    expect_eq(dig(b, "metadata", "labels", "kubernetes.io/metadata.name"), ns,
              "label kubernetes.io/metadata.name")
    expect_eq(dig(b, "metadata", "labels", "conformance.quiver.dev/run"), x.s.rid, "our label")
    r = x.c.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    expect_status(r, 409, "AlreadyExists", "POST an existing Namespace", message='namespaces "%s" already exists' % ns,
                  details={"name": ns, "kind": "namespaces"})


@check
def secret_stringdata_merged(x):
    ns = x.ns()
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"},
            "data": {"username": base64.b64encode(b"quiver").decode()}, "stringData": {"password": "not-a-secret"}}
    r = x.c.post("/api/v1/namespaces/%s/secrets" % ns, body)
    b = expect_code(r, 201, "POST Secret with data and stringData")
    want = {"username": "cXVpdmVy", "password": base64.b64encode(b"not-a-secret").decode()}
    expect_eq(b.get("data"), want, "Secret data (stringData merged in, base64)")
    expect("stringData" not in b, "no stringData in the answer", sorted(b))
    expect_eq(b.get("type"), "Opaque", "defaulted type")
    g = expect_code(x.c.get("/api/v1/namespaces/%s/secrets/creds" % ns), 200, "GET Secret")
    expect_eq(g.get("data"), want, "stored Secret data")
    expect("stringData" not in g, "no stringData stored", sorted(g))


@check
def secret_bad_base64_400(x):
    ns = x.ns()
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "bad-b64"}, "data": {"x": "not base64!"}}
    r = x.c.post("/api/v1/namespaces/%s/secrets" % ns, body)
    expect_status(r, 400, "BadRequest", "POST Secret with invalid base64 data",
                  message_contains='Secret in version "v1" cannot be handled as a Secret')


@check
def configmap_crud(x):
    ns = x.ns()
    c = x.create_cm(ns, "c1", {"a": "1"}, labels={"app": "c"})
    expect_eq((c.get("apiVersion"), c.get("kind")), ("v1", "ConfigMap"), "(apiVersion, kind)")
    expect_eq(dig(c, "metadata", "namespace"), ns, "metadata.namespace")
    expect(TIMESTAMP_RE.match(dig(c, "metadata", "creationTimestamp") or ""), "creationTimestamp",
           dig(c, "metadata", "creationTimestamp"))
    g = expect_code(x.c.get(x.cm_path(ns, "c1")), 200, "GET ConfigMap")
    g["data"]["b"] = "2"
    u = expect_code(x.c.put(x.cm_path(ns, "c1"), g), 200, "PUT ConfigMap")
    expect_eq(u.get("data"), {"a": "1", "b": "2"}, "data after PUT")
    expect_rv_newer(rv_of(u), rv_of(c), "PUT")
    # ConfigMaps (unlike custom resources) allow an unconditional update without resourceVersion.
    del u["metadata"]["resourceVersion"]
    u["data"]["c"] = "3"
    u2 = expect_code(x.c.put(x.cm_path(ns, "c1"), u), 200, "PUT ConfigMap without resourceVersion")
    expect_eq(u2.get("data"), {"a": "1", "b": "2", "c": "3"}, "data after the unconditional PUT")
    lst = expect_code(x.c.get(x.cm_path(ns)), 200, "LIST ConfigMaps")
    expect_eq(lst.get("kind"), "ConfigMapList", "list kind")
    expect("c1" in [dig(i, "metadata", "name") for i in lst.get("items") or []], "c1 in the list", lst.get("items"))
    r = x.c.get(x.cm_path(ns, "nope"))
    expect_status(r, 404, "NotFound", "GET missing ConfigMap", message='configmaps "nope" not found',
                  details={"name": "nope", "kind": "configmaps"})


@check
def service_create_defaults(x):
    ns = x.ns()
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc1"},
            "spec": {"selector": {"app": "x"}, "ports": [{"port": 80}]}}
    b = expect_code(x.c.post("/api/v1/namespaces/%s/services" % ns, body), 201, "POST Service")
    sp = b.get("spec") or {}
    expect_eq(sp.get("type"), "ClusterIP", "defaulted spec.type")
    expect_eq(sp.get("sessionAffinity"), "None", "defaulted spec.sessionAffinity")
    p = (sp.get("ports") or [{}])[0]
    expect_eq((p.get("protocol"), p.get("targetPort")), ("TCP", 80), "defaulted ports[0] (protocol, targetPort)")
    ip = sp.get("clusterIP")
    expect(isinstance(ip, str) and ip not in ("", "None"), "an allocated spec.clusterIP", ip)
    expect(ip in (sp.get("clusterIPs") or []), "spec.clusterIPs containing clusterIP", sp.get("clusterIPs"))
    expect_code(x.c.get("/api/v1/namespaces/%s/services/svc1" % ns), 200, "GET Service")


@check
def serviceaccount_create(x):
    ns = x.ns()
    body = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}}
    b = expect_code(x.c.post("/api/v1/namespaces/%s/serviceaccounts" % ns, body), 201, "POST ServiceAccount")
    expect_eq((b.get("kind"), dig(b, "metadata", "name"), dig(b, "metadata", "namespace")),
              ("ServiceAccount", "robot", ns), "(kind, name, namespace)")
    expect(dig(b, "metadata", "uid"), "metadata.uid", b.get("metadata"))
    expect_code(x.c.get("/api/v1/namespaces/%s/serviceaccounts/robot" % ns), 200, "GET ServiceAccount")


@check
def pod_create_defaults(x):
    ns = x.ns()
    expect_code(x.c.post("/api/v1/namespaces/%s/serviceaccounts" % ns,
                         {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "runner"}}),
                201, "POST ServiceAccount")
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p1", "labels": {"app": "p1"}},
            "spec": {"serviceAccountName": "runner", "automountServiceAccountToken": False,
                     "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                     "containers": [{"name": "main", "image": IMAGE, "securityContext": {
                         "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}}]}}
    b = expect_code(x.c.post("/api/v1/namespaces/%s/pods" % ns, body), 201, "POST Pod")
    expect_eq(dig(b, "status", "phase"), "Pending", "status.phase of a new Pod")
    expect_eq(dig(b, "status", "qosClass"), "BestEffort", "status.qosClass")
    sp = b.get("spec") or {}
    for k, v in (("restartPolicy", "Always"), ("dnsPolicy", "ClusterFirst"), ("terminationGracePeriodSeconds", 30),
                 ("schedulerName", "default-scheduler"), ("serviceAccountName", "runner")):
        expect_eq(sp.get(k), v, "spec.%s" % k)
    c0 = (sp.get("containers") or [{}])[0]
    for k, v in (("terminationMessagePath", "/dev/termination-log"), ("terminationMessagePolicy", "File"),
                 ("imagePullPolicy", "IfNotPresent")):
        expect_eq(c0.get(k), v, "containers[0].%s" % k)
    expect_code(x.c.get("/api/v1/namespaces/%s/pods/p1" % ns), 200, "GET Pod")


@check
def deployment_create_defaults(x):
    ns = x.ns()
    body = deployment("web", [{"name": "nginx", "image": IMAGE, "ports": [{"containerPort": 80}]}])
    r = x.c.post("/apis/apps/v1/namespaces/%s/deployments" % ns, body)
    b = expect_code(r, 201, "POST Deployment")
    expect_eq((b.get("apiVersion"), b.get("kind")), ("apps/v1", "Deployment"), "(apiVersion, kind)")
    expect_eq(dig(b, "metadata", "generation"), 1, "metadata.generation")
    sp = b.get("spec") or {}
    expect_eq(sp.get("replicas"), 1, "defaulted spec.replicas")
    expect_eq(sp.get("strategy"), {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
              "defaulted spec.strategy")
    expect_eq(sp.get("revisionHistoryLimit"), 10, "defaulted spec.revisionHistoryLimit")
    expect_eq(sp.get("progressDeadlineSeconds"), 600, "defaulted spec.progressDeadlineSeconds")
    ps = dig(sp, "template", "spec") or {}
    for k, v in (("restartPolicy", "Always"), ("terminationGracePeriodSeconds", 30), ("dnsPolicy", "ClusterFirst"),
                 ("schedulerName", "default-scheduler"), ("securityContext", {})):
        expect_eq(ps.get(k), v, "template.spec.%s" % k)
    c0 = (ps.get("containers") or [{}])[0]
    for k, v in (("terminationMessagePath", "/dev/termination-log"), ("terminationMessagePolicy", "File"),
                 ("imagePullPolicy", "IfNotPresent"), ("resources", {}),
                 ("ports", [{"containerPort": 80, "protocol": "TCP"}])):
        expect_eq(c0.get(k), v, "template.spec.containers[0].%s" % k)


@check
def event_core_create(x):
    ns = x.ns()
    cm = x.create_cm(ns, "target")
    body = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "target.conformance.1"},
            "involvedObject": {"apiVersion": "v1", "kind": "ConfigMap", "name": "target", "namespace": ns,
                               "uid": dig(cm, "metadata", "uid")},
            "reason": "Tested", "message": "conformance event", "type": "Normal",
            "source": {"component": "quiver-conformance"},
            "firstTimestamp": "2026-01-02T03:04:05Z", "lastTimestamp": "2026-01-02T03:04:05Z", "count": 1}
    b = expect_code(x.c.post("/api/v1/namespaces/%s/events" % ns, body), 201, "POST core/v1 Event")
    expect_eq((b.get("reason"), b.get("message"), b.get("type"), b.get("count")),
              ("Tested", "conformance event", "Normal", 1), "(reason, message, type, count)")
    expect_eq(dig(b, "involvedObject", "name"), "target", "involvedObject.name")
    expect_eq((b.get("firstTimestamp"), b.get("lastTimestamp")), ("2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"),
              "(firstTimestamp, lastTimestamp)")
    expect_eq(dig(b, "source", "component"), "quiver-conformance", "source.component")
    lst = expect_code(x.c.get("/api/v1/namespaces/%s/events" % ns), 200, "LIST Events")
    expect("target.conformance.1" in [dig(i, "metadata", "name") for i in lst.get("items") or []],
           "the Event in the list", [dig(i, "metadata", "name") for i in lst.get("items") or []])


@check
def hpa_v2_create(x):
    ns = x.ns()
    body = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "hpa1"},
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                     "maxReplicas": 3}}
    base = "/apis/autoscaling/v2/namespaces/%s/horizontalpodautoscalers" % ns
    b = expect_code(x.c.post(base, body), 201, "POST autoscaling/v2 HorizontalPodAutoscaler")
    sp = b.get("spec") or {}
    expect_eq(sp.get("minReplicas"), 1, "defaulted spec.minReplicas")
    expect_eq(sp.get("maxReplicas"), 3, "spec.maxReplicas")
    expect_eq(sp.get("metrics"), [{"type": "Resource", "resource": {"name": "cpu", "target": {
        "type": "Utilization", "averageUtilization": 80}}}], "defaulted spec.metrics (cpu 80%)")
    expect_code(x.c.get(base + "/hpa1"), 200, "GET HorizontalPodAutoscaler")


@check
def pdb_v1_create(x):
    ns = x.ns()
    body = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "pdb1"},
            "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "x"}}}}
    base = "/apis/policy/v1/namespaces/%s/poddisruptionbudgets" % ns
    b = expect_code(x.c.post(base, body), 201, "POST policy/v1 PodDisruptionBudget")
    expect_eq(dig(b, "spec", "minAvailable"), 1, "spec.minAvailable (an integer stays an integer)")
    expect_eq(dig(b, "spec", "selector"), {"matchLabels": {"app": "x"}}, "spec.selector")
    g = expect_code(x.c.get(base + "/pdb1"), 200, "GET PodDisruptionBudget")
    expect_eq(dig(g, "spec", "minAvailable"), 1, "stored spec.minAvailable")
    body2 = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "pdb2"},
             "spec": {"maxUnavailable": "50%", "selector": {"matchLabels": {"app": "y"}}}}
    b2 = expect_code(x.c.post(base, body2), 201, "POST PodDisruptionBudget with a percentage")
    expect_eq(dig(b2, "spec", "maxUnavailable"), "50%", "spec.maxUnavailable (a string stays a string)")


# ==============================================================================================
# 14. Leases (MicroTime)
# ==============================================================================================

def lease(name, holder, acquire, renew, transitions=0):
    return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": {"name": name},
            "spec": {"holderIdentity": holder, "leaseDurationSeconds": 15, "acquireTime": acquire,
                     "renewTime": renew, "leaseTransitions": transitions}}


def micro_now(offset=0.0):
    t = time.time() + offset
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + ".%06dZ" % int((t % 1) * 1e6)


@check
def lease_microtime_roundtrip(x):
    ns = x.ns()
    base = "/apis/coordination.k8s.io/v1/namespaces/%s/leases" % ns
    t = "2026-11-24T10:30:03.142494Z"
    b = expect_code(x.c.post(base, lease("l1", "op-a_1", t, t)), 201, "POST Lease with 6-digit MicroTimes")
    expect_eq((dig(b, "spec", "acquireTime"), dig(b, "spec", "renewTime")), (t, t),
              "(acquireTime, renewTime) echoed with 6 fractional digits")
    expect_eq(dig(b, "spec", "holderIdentity"), "op-a_1", "spec.holderIdentity")
    g = expect_code(x.c.get(base + "/l1"), 200, "GET Lease")
    expect_eq(dig(g, "spec", "renewTime"), t, "stored renewTime")


@check
def lease_microtime_wrong_precision_400(x):
    ns = x.ns()
    base = "/apis/coordination.k8s.io/v1/namespaces/%s/leases" % ns
    for digits, t in (("0", "2026-11-24T10:30:03Z"), ("3", "2026-11-24T10:30:03.142Z"),
                      ("9", "2026-11-24T10:30:03.142494123Z")):
        r = x.c.post(base, lease("t" + digits, "x", t, t))
        expect_status(r, 400, "BadRequest", "POST Lease with %s fractional digits" % digits,
                      message_contains='Lease in version "v1" cannot be handled as a Lease')
    lst = expect_code(x.c.get(base), 200, "LIST Leases")
    expect_eq(lst.get("items") or [], [], "no Lease stored")


@check
def lease_update_and_stale_conflict(x):
    ns = x.ns()
    base = "/apis/coordination.k8s.io/v1/namespaces/%s/leases" % ns
    t0 = micro_now()
    c = expect_code(x.c.post(base, lease("leader", "op-a_1", t0, t0)), 201, "POST Lease")
    renew = json.loads(json.dumps(c))
    t1 = micro_now(1.0)
    renew["spec"]["renewTime"] = t1
    u = expect_code(x.c.put(base + "/leader", renew), 200, "PUT Lease renewing renewTime")
    expect_eq(dig(u, "spec", "renewTime"), t1, "renewTime after renewal")
    expect_rv_newer(rv_of(u), rv_of(c), "renewal")
    take = json.loads(json.dumps(u))
    t2 = micro_now(2.0)
    take["spec"].update({"holderIdentity": "op-b_2", "acquireTime": t2, "renewTime": t2, "leaseTransitions": 1})
    v = expect_code(x.c.put(base + "/leader", take), 200, "PUT Lease taken over by a new holder")
    expect_eq((dig(v, "spec", "holderIdentity"), dig(v, "spec", "leaseTransitions")), ("op-b_2", 1),
              "(holderIdentity, leaseTransitions)")
    stale = json.loads(json.dumps(c))
    stale["spec"]["renewTime"] = micro_now(3.0)
    r = x.c.put(base + "/leader", stale)
    expect_status(r, 409, "Conflict", "PUT Lease with a stale resourceVersion",
                  message='Operation cannot be fulfilled on leases.coordination.k8s.io "leader": ' + CONFLICT_SUFFIX,
                  details={"name": "leader", "group": "coordination.k8s.io", "kind": "leases"})
    g = expect_code(x.c.get(base + "/leader"), 200, "GET Lease")
    expect_eq(dig(g, "spec", "holderIdentity"), "op-b_2", "holder after the rejected stale update")


# ==============================================================================================
# 9. Lists: label selectors, field selectors, paging
# ==============================================================================================

def item_names(lst):
    return sorted(dig(i, "metadata", "name") for i in (lst or {}).get("items") or [])


def label_fixture(x, ns):
    x.create_widget(ns, "a", labels={"env": "prod", "tier": "web"})
    x.create_widget(ns, "b", labels={"env": "dev", "tier": "web"})
    x.create_widget(ns, "c", labels={"env": "prod"})
    x.create_widget(ns, "d")


def expect_selected(x, path, cases, param="labelSelector"):
    for sel, want in cases:
        r = x.c.get(path + qs(**{param: sel}))
        b = expect_code(r, 200, "LIST ?%s=%s" % (param, sel))
        expect_eq(item_names(b), sorted(want), "names selected by %s=%r" % (param, sel))


@check
def list_label_selector_equality(x):
    x.need_widgets()
    ns = x.ns()
    label_fixture(x, ns)
    expect_selected(x, x.wpath(ns), [("env=prod", ["a", "c"]), ("env==prod", ["a", "c"]),
                                     ("env!=prod", ["b", "d"]), ("env=prod,tier=web", ["a"]),
                                     ("env=staging", [])])


@check
def list_label_selector_set_based(x):
    x.need_widgets()
    ns = x.ns()
    label_fixture(x, ns)
    expect_selected(x, x.wpath(ns), [("env in (prod,dev)", ["a", "b", "c"]), ("env notin (prod)", ["b", "d"]),
                                     ("tier", ["a", "b"]), ("!tier", ["c", "d"]),
                                     ("env in (prod),!tier", ["c"])])


@check
def list_invalid_label_selector_400(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.get(x.wpath(ns, query=qs(labelSelector="env in (prod")))
    expect_status(r, 400, "BadRequest", "LIST with labelSelector 'env in (prod'")
    r = x.c.get(x.cm_path(ns) + qs(labelSelector="env in (prod"))
    expect_status(r, 400, "BadRequest", "LIST ConfigMaps with labelSelector 'env in (prod'")


@check
def list_field_selector(x):
    x.need_widgets()
    ns = x.ns()
    label_fixture(x, ns)
    expect_selected(x, x.wpath(ns), [("metadata.name=a", ["a"]), ("metadata.name==b", ["b"]),
                                     ("metadata.name!=a", ["b", "c", "d"]), ("metadata.namespace=" + ns,
                                                                             ["a", "b", "c", "d"])],
                    param="fieldSelector")
    allns = "/apis/%s/%s/widgets" % (x.g, x.v)
    expect_selected(x, allns, [("metadata.namespace=" + ns, ["a", "b", "c", "d"]),
                               ("metadata.namespace=%s,metadata.name=c" % ns, ["c"])], param="fieldSelector")
    r = x.c.get(x.wpath(ns) + qs(labelSelector="env=prod", fieldSelector="metadata.name=c"))
    expect_eq(item_names(expect_code(r, 200, "LIST with label and field selectors")), ["c"], "names selected")
    x.create_cm(ns, "c1")
    x.create_cm(ns, "c2")
    expect_selected(x, x.cm_path(ns), [("metadata.name=c2", ["c2"])], param="fieldSelector")
    r = x.c.get(x.wpath(ns) + qs(fieldSelector="spec.size=1"))
    expect_status(r, 400, "BadRequest", "LIST with an unsupported fieldSelector spec.size=1")


@check
def list_limit_continue_paging(x):
    x.need_widgets()
    ns = x.ns()
    want = ["p%d" % i for i in range(5)]
    for n in want:
        x.create_widget(ns, n)
    seen, pages, cont = [], [], None
    for _ in range(10):
        q = {"limit": "2"}
        if cont:
            q["continue"] = cont
        r = x.c.get(x.wpath(ns) + "?" + urllib.parse.urlencode(q))
        b = expect_code(r, 200, "LIST ?limit=2" + (" with continue" if cont else ""))
        got = [dig(i, "metadata", "name") for i in b.get("items") or []]
        expect(len(got) <= 2, "at most 2 items per page", got)
        seen += got
        cont = dig(b, "metadata", "continue")
        pages.append((len(got), bool(cont), dig(b, "metadata", "remainingItemCount")))
        if not cont:
            break
    expect_eq(sorted(seen), want, "all items across pages")
    expect_eq(len(seen), len(set(seen)), "no item twice (item count)")
    expect_eq(pages, [(2, True, 3), (2, True, 1), (1, False, None)],
              "pages as (items, has continue token, remainingItemCount)")


# ==============================================================================================
# 10. Watch
# ==============================================================================================

def ev_types(events):
    return [e.get("type") for e in events]


def ev_name(e):
    return dig(e, "object", "metadata", "name")


def expect_watch_open(w, what, code=200):
    expect(w.wait_started(15), "%s: response headers within 15 s" % what, "no response")
    if w.status is None:
        kind, val = w.next(1)
        fail("%s -> HTTP %d" % (what, code), "no response (%s)" % (val,))
    if w.status != code:
        fail("%s -> HTTP %d" % (what, code), "HTTP %s %s" % (w.status, w.body[:300].decode("utf-8", "replace")))
    ct = w.content_type().split(";")[0].strip().lower()
    expect(ct == "application/json", "%s Content-Type application/json" % what, repr(w.content_type()))


def expect_event_shape(events, what):
    for e in events:
        expect(isinstance(e, dict) and set(e) == {"type", "object"} and isinstance(e.get("object"), dict),
               "%s: each line one JSON object {type, object}" % what, e)
        expect(e["type"] in ("ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"), "%s: a known event type" % what,
               e["type"])


@check
def watch_event_sequence_from_list_rv(x):
    x.need_widgets()
    ns = x.ns()
    rv = rv_of(expect_code(x.c.get(x.wpath(ns)), 200, "LIST"))
    w = x.watch(x.wpath(ns, query=qs(watch="true", resourceVersion=rv, allowWatchBookmarks="true",
                                     timeoutSeconds="30")))
    expect_watch_open(w, "watch from the list resourceVersion")
    c = x.create_widget(ns, "w5")
    m1 = expect_code(x.c.patch(x.wpath(ns, "w5"), {"spec": {"size": 2}}, MERGE), 200, "patch spec")
    m2 = expect_code(x.c.patch(x.wpath(ns, "w5", "status"), {"status": {"phase": "Ready"}}, MERGE), 200,
                     "patch /status")
    expect_code(x.c.delete(x.wpath(ns, "w5")), 200, "DELETE")
    events, end = w.collect(until=lambda e: e.get("type") in ("DELETED", "ERROR"), timeout=15)
    expect(end == "until", "a DELETED event within 15 s", "%s after %s" % (end, ev_types(events)))
    expect_event_shape(events, "watch")
    evs = [e for e in events if e.get("type") != "BOOKMARK"]
    expect_eq(ev_types(evs), ["ADDED", "MODIFIED", "MODIFIED", "DELETED"], "event types in order")
    for e in evs:
        o = e["object"]
        expect_eq((o.get("apiVersion"), o.get("kind"), ev_name(e)), (x.gv, "Widget", "w5"),
                  "%s object (apiVersion, kind, name)" % e["type"])
    o = [e["object"] for e in evs]
    expect_eq((rv_of(o[0]), dig(o[0], "metadata", "generation")), (rv_of(c), 1), "ADDED (resourceVersion, generation)")
    expect_eq((rv_of(o[1]), dig(o[1], "spec", "size"), dig(o[1], "metadata", "generation")), (rv_of(m1), 2, 2),
              "first MODIFIED (resourceVersion, spec.size, generation)")
    expect_eq((rv_of(o[2]), dig(o[2], "status", "phase"), dig(o[2], "metadata", "generation")),
              (rv_of(m2), "Ready", 2), "second MODIFIED (resourceVersion, status.phase, generation)")
    expect_rv_newer(rv_of(o[3]), rv_of(m2), "DELETED event object (the deletion's resourceVersion)")
    for bm in events:
        if bm.get("type") == "BOOKMARK":
            expect(rv_of(bm["object"]) and bm["object"].get("kind") == "Widget",
                   "BOOKMARK object with kind Widget and metadata.resourceVersion", bm)


@check
def watch_without_rv_synthetic_added(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "a")
    x.create_widget(ns, "b")
    w = x.watch(x.wpath(ns, query=qs(watch="true", timeoutSeconds="2")))
    expect_watch_open(w, "watch without resourceVersion")
    events, end = w.collect(timeout=10)
    expect_eq(end, "eof", "how the stream ended (timeoutSeconds=2)")
    expect_event_shape(events, "watch")
    expect_eq(ev_types(events), ["ADDED", "ADDED"], "event types (synthetic ADDED for each existing object, "
                                                    "no bookmarks unless allowWatchBookmarks)")
    expect_eq(sorted(ev_name(e) for e in events), ["a", "b"], "names in the ADDED events")


@check
def watch_send_initial_events_bookmark(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "a")
    x.create_widget(ns, "b")
    w = x.watch(x.wpath(ns, query=qs(watch="true", sendInitialEvents="true", resourceVersionMatch="NotOlderThan",
                                     allowWatchBookmarks="true", timeoutSeconds="10")))
    expect(w.wait_started(15), "response headers within 15 s", "no response")
    if w.status == 422:
        msg = w.body.decode("utf-8", "replace")
        if "WatchList" in msg or "sendInitialEvents" in msg:
            raise CheckSkipped("server has the WatchList feature gate disabled (HTTP 422: %s)" % msg[:200])
    expect_watch_open(w, "watch with sendInitialEvents=true")

    def end_marker(e):
        return e.get("type") == "BOOKMARK" and \
            dig(e, "object", "metadata", "annotations", "k8s.io/initial-events-end") == "true"

    events, end = w.collect(until=end_marker, timeout=8)
    expect(end == "until", "a BOOKMARK annotated k8s.io/initial-events-end=true within 8 s",
           "%s after %s" % (end, ev_types(events)))
    expect_event_shape(events, "watch")
    before = [e for e in events[:-1] if e.get("type") != "BOOKMARK"]
    expect_eq(ev_types(before), ["ADDED", "ADDED"], "events before the initial-events-end bookmark")
    expect_eq(sorted(ev_name(e) for e in before), ["a", "b"], "names in the ADDED events")
    bm = events[-1]["object"]
    expect(rv_of(bm), "the bookmark carrying metadata.resourceVersion", bm)
    expect_eq(bm.get("kind"), "Widget", "bookmark object kind")


@check
def watch_timeout_seconds_ends_stream(x):
    x.need_widgets()
    ns = x.ns()
    t0 = time.time()
    w = x.watch(x.wpath(ns, query=qs(watch="true", timeoutSeconds="2")))
    expect_watch_open(w, "watch ?timeoutSeconds=2")
    events, end = w.collect(timeout=10)
    elapsed = (w.eof_at or time.time()) - t0
    expect_eq(end, "eof", "a clean end of the stream")
    expect(1.0 <= elapsed <= 6.0, "the stream to end about 2 s after it started", "%.1f s" % elapsed)
    expect("ERROR" not in ev_types(events), "no ERROR event at timeout", events)


@check
def watch_too_old_rv_expired(x):
    x.need_widgets()
    ns = x.ns()
    w = x.watch(x.wpath(ns, query=qs(watch="true", resourceVersion="1", allowWatchBookmarks="true",
                                     timeoutSeconds="10")))
    expect(w.wait_started(15), "response headers within 15 s", "no response")
    if w.status != 200:
        fail("watch ?resourceVersion=1 -> HTTP 200 and a single ERROR event (real servers stream the 410)",
             "HTTP %s %s" % (w.status, w.body[:300].decode("utf-8", "replace")))
    expect_watch_open(w, "watch ?resourceVersion=1")
    events, end = w.collect(timeout=8)
    expect_eq(end, "eof", "the stream to end right after the ERROR event")
    expect_eq(ev_types(events), ["ERROR"], "event types")
    st = events[0]["object"]
    expect_eq((st.get("kind"), st.get("apiVersion"), st.get("status"), st.get("code"), st.get("reason")),
              ("Status", "v1", "Failure", 410, "Expired"), "ERROR object (kind, apiVersion, status, code, reason)")
    expect("too old resource version" in (st.get("message") or ""), "message 'too old resource version: ...'",
           st.get("message"))


@check
def watch_label_selector_filters(x):
    x.need_widgets()
    ns = x.ns()
    rv = rv_of(expect_code(x.c.get(x.wpath(ns)), 200, "LIST"))
    w = x.watch(x.wpath(ns, query=qs(watch="true", resourceVersion=rv, labelSelector="sel=yes",
                                     timeoutSeconds="30")))
    expect_watch_open(w, "watch ?labelSelector=sel=yes")
    x.create_widget(ns, "yes1", labels={"sel": "yes"})
    x.create_widget(ns, "no1", labels={"sel": "no"})
    expect_code(x.c.patch(x.wpath(ns, "no1"), {"spec": {"size": 2}}, MERGE), 200, "patch no1")
    expect_code(x.c.patch(x.wpath(ns, "yes1"), {"spec": {"size": 2}}, MERGE), 200, "patch yes1")
    expect_code(x.c.patch(x.wpath(ns, "yes1"), {"metadata": {"labels": {"sel": "no"}}}, MERGE), 200,
                "relabel yes1 to sel=no")
    x.create_widget(ns, "yes2", labels={"sel": "yes"})
    events, end = w.collect(until=lambda e: ev_name(e) == "yes2", timeout=15)
    expect(end == "until", "an ADDED event for yes2 within 15 s", "%s after %s" % (end, ev_types(events)))
    got = [(e.get("type"), ev_name(e)) for e in events if e.get("type") != "BOOKMARK"]
    expect_eq(got, [("ADDED", "yes1"), ("MODIFIED", "yes1"), ("DELETED", "yes1"), ("ADDED", "yes2")],
              "(type, name) of the events (an object leaving the selector is DELETED)")


# ==============================================================================================
# 11. Tables
# ==============================================================================================

AGE_RE = re.compile(r"^\d+[smhdy](\d+[smhdy])?$")


def expect_table(r, what):
    b = expect_code(r, 200, what)
    expect_json_ct(r, what)
    expect(isinstance(b, dict) and (b.get("kind"), b.get("apiVersion")) == ("Table", "meta.k8s.io/v1"),
           "%s: a meta.k8s.io/v1 Table" % what, b)
    cols = b.get("columnDefinitions")
    expect(isinstance(cols, list) and cols, "%s: columnDefinitions" % what, cols)
    rows = b.get("rows")
    expect(isinstance(rows, list), "%s: rows as a list (also when empty)" % what, rows)
    return b, [c.get("name") for c in cols], rows


def expect_row_object(row, ns, what):
    o = row.get("object") or {}
    expect_eq((o.get("kind"), o.get("apiVersion")), ("PartialObjectMetadata", "meta.k8s.io/v1"),
              "%s row.object (kind, apiVersion)" % what)
    expect_eq((dig(o, "metadata", "name"), dig(o, "metadata", "namespace")), (row["cells"][0], ns),
              "%s row.object metadata (name, namespace)" % what)


@check
def table_cr_printer_columns(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "w1", size=3, color="red")
    x.create_widget(ns, "w2", size=5, color=None)
    b, cols, rows = expect_table(x.c.get(x.wpath(ns, query="?limit=500"), accept=TABLE_ACCEPT), "Table LIST")
    expect_eq(cols, ["Name", "Size", "Color", "Age"], "column names (Name + the CRD's printer columns)")
    defs = b["columnDefinitions"]
    expect_eq([c.get("type") for c in defs], ["string", "integer", "string", "date"], "column types")
    expect_eq(defs[0].get("format"), "name", "Name column format")
    expect(rv_of(b), "Table metadata.resourceVersion", b.get("metadata"))
    expect_eq(len(rows), 2, "row count")
    byname = {r["cells"][0]: r for r in rows}
    expect_eq(sorted(byname), ["w1", "w2"], "names in the first cells")
    for name, size, color in (("w1", 3, "red"), ("w2", 5, None)):
        cells = byname[name]["cells"]
        expect_eq(cells[:3], [name, size, color], "%s cells Name, Size, Color (missing value = null)" % name)
        expect(isinstance(cells[3], str) and AGE_RE.match(cells[3]), "%s Age cell as a duration like 28s" % name,
               cells[3])
        expect_row_object(byname[name], ns, name)


@check
def table_cr_single_object(x):
    x.need_widgets()
    ns = x.ns()
    x.create_widget(ns, "w1", size=3)
    b, cols, rows = expect_table(x.c.get(x.wpath(ns, "w1"), accept=KUBECTL_TABLE_ACCEPT), "Table GET")
    expect_eq(cols, ["Name", "Size", "Color", "Age"], "column names")
    expect_eq([r["cells"][:3] for r in rows], [["w1", 3, "red"]], "rows (Name, Size, Color)")
    expect_row_object(rows[0], ns, "w1")


@check
def table_empty_list(x):
    x.need_widgets()
    ns = x.ns()
    b, cols, rows = expect_table(x.c.get(x.wpath(ns), accept=TABLE_ACCEPT), "Table LIST of an empty collection")
    expect_eq(cols, ["Name", "Size", "Color", "Age"], "column names")
    expect_eq(rows, [], "rows")


@check
def table_crd_without_printer_columns(x):
    x.need("gizmos")
    ns = x.ns()
    path = x.rpath("gizmos", ns)
    b, cols, rows = expect_table(x.c.get(path, accept=TABLE_ACCEPT), "Table LIST of gizmos")
    expect_eq(cols, ["Name", "Age"], "column names of a CRD without printer columns")
    expect_eq(rows, [], "rows")
    expect_code(x.c.post(path, {"apiVersion": x.gv, "kind": "Gizmo", "metadata": {"name": "g1"},
                                "spec": {"model": "m"}}), 201, "POST Gizmo")
    b, cols, rows = expect_table(x.c.get(path, accept=TABLE_ACCEPT), "Table LIST of gizmos")
    expect_eq(len(rows), 1, "row count")
    expect_eq(rows[0]["cells"][0], "g1", "Name cell")
    expect(isinstance(rows[0]["cells"][1], str) and AGE_RE.match(rows[0]["cells"][1]), "an Age cell like 3s",
           rows[0]["cells"])


@check
def table_pods_columns(x):
    ns = x.ns()
    b, cols, rows = expect_table(x.c.get("/api/v1/namespaces/%s/pods?limit=500" % ns, accept=KUBECTL_TABLE_ACCEPT),
                                 "Table LIST of pods")
    expect_eq(cols[:5], ["Name", "Ready", "Status", "Restarts", "Age"], "first five pod columns")
    expect_eq(rows, [], "rows")


@check
def table_watch_events(x):
    x.need_widgets()
    ns = x.ns()
    b, cols, rows = expect_table(x.c.get(x.wpath(ns, query="?limit=500"), accept=KUBECTL_TABLE_ACCEPT), "Table LIST")
    w = x.watch(x.wpath(ns, query=qs(resourceVersion=rv_of(b), watch="true", timeoutSeconds="30")),
                accept=KUBECTL_TABLE_ACCEPT)
    expect_watch_open(w, "Table watch")
    x.create_widget(ns, "t1", size=4)
    expect_code(x.c.delete(x.wpath(ns, "t1")), 200, "DELETE")
    events, end = w.collect(until=lambda e: e.get("type") in ("DELETED", "ERROR"), timeout=15)
    expect(end == "until", "a DELETED event within 15 s", "%s after %s" % (end, ev_types(events)))
    evs = [e for e in events if e.get("type") != "BOOKMARK"]
    expect_eq(ev_types(evs), ["ADDED", "DELETED"], "event types")
    for i, e in enumerate(evs):
        o = e["object"]
        expect_eq((o.get("kind"), o.get("apiVersion")), ("Table", "meta.k8s.io/v1"), "%s object" % e["type"])
        expect_eq([r.get("cells", [None])[0] for r in o.get("rows") or []], ["t1"], "%s: one row for t1" % e["type"])
        if i == 0:
            expect_eq([c.get("name") for c in o.get("columnDefinitions") or []], ["Name", "Size", "Color", "Age"],
                      "columnDefinitions of the first event")


# ==============================================================================================
# 12. Errors and limits
# ==============================================================================================

@check
def error_malformed_json_400(x):
    x.need_widgets()
    ns = x.ns()
    bad = b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": '
    expect_status(x.c.post(x.cm_path(ns), bad), 400, "BadRequest", "POST ConfigMap with malformed JSON")
    bad = ('{"apiVersion": "%s", "kind": "Widget", "metadata": {"name": "x"}, "spec": {' % x.gv).encode()
    expect_status(x.c.post(x.wpath(ns), bad), 400, "BadRequest", "POST Widget with malformed JSON")
    expect_status(x.c.post(x.cm_path(ns), b"not json at all"), 400, "BadRequest", "POST ConfigMap with a non-JSON body")


@check
def error_unknown_resource_404(x):
    ns = x.ns()
    for path in ("/api/v1/namespaces/%s/doesnotexist" % ns, "/apis/apps/v1/namespaces/%s/doesnotexist" % ns):
        expect_status(x.c.get(path), 404, "NotFound", "GET " + path)
    for path in ("/apis/nonexistent.quiver.dev/v1/namespaces/%s/things" % ns, "/apis/nonexistent.quiver.dev/v1"):
        r = x.c.get(path)
        expect_code(r, 404, "GET " + path)
        if r.json is not None:
            expect(dig(r.json, "kind") == "Status" and dig(r.json, "reason") == "NotFound",
                   "a JSON answer to be a NotFound Status", r)


@check
def error_kind_mismatch_400(x):
    ns = x.ns()
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "m1"}, "data": {}}
    expect_status(x.c.post(x.cm_path(ns), body), 400, "BadRequest", "POST a Secret body to the configmaps URL")
    expect_status(x.c.get(x.cm_path(ns, "m1")), 404, "NotFound", "GET after the rejected create")


@check
def error_name_mismatch_400(x):
    ns = x.ns()
    c = x.create_cm(ns, "a")
    c["metadata"]["name"] = "b"
    expect_status(x.c.put(x.cm_path(ns, "a"), c), 400, "BadRequest", "PUT with a body name different from the URL's",
                  message_contains="does not match the name on the URL")


@check
def error_namespace_mismatch_400(x):
    ns = x.ns()
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": ns + "-other"}}
    expect_status(x.c.post(x.cm_path(ns), body), 400, "BadRequest",
                  "POST with metadata.namespace different from the URL's",
                  message_contains="does not match the namespace")


@check
def error_request_body_too_large(x):
    ns = x.ns()
    for size, label in ((3 * 1024 * 1024 // 2, "1.5 MiB"), (4 * 1024 * 1024, "4 MiB")):
        body = json.dumps({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"},
                           "data": {"blob": "x" * size}}).encode()
        t0 = time.time()
        r, err = x.c.upload("POST", x.cm_path(ns), body)
        took = time.time() - t0
        if r is None:
            fail("a %s ConfigMap create -> HTTP 413 or 422" % label, "no HTTP answer (%s) after %.1f s" % (err, took))
        expect(r.status in (413, 422), "a %s ConfigMap create -> HTTP 413 (body limit) or 422 (ConfigMap size)" % label,
               "HTTP %s %s" % (r.status, r.text(200)))
        st = r.json
        expect(isinstance(st, dict) and st.get("kind") == "Status" and
               st.get("reason") == ("RequestEntityTooLarge" if r.status == 413 else "Invalid"),
               "a Status with reason RequestEntityTooLarge (413) or Invalid (422)", r)
    expect_status(x.c.get(x.cm_path(ns, "big")), 404, "NotFound", "GET after the rejected creates")


@check
def error_invalid_name_422(x):
    x.need_widgets()
    ns = x.ns()
    r = x.c.post(x.cm_path(ns), {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Bad_Name"}})
    b = expect_status(r, 422, "Invalid", "POST ConfigMap named Bad_Name", message_contains='ConfigMap "Bad_Name" is invalid')
    expect_eq(dig(b, "details", "kind"), "ConfigMap", "details.kind")
    expect("metadata.name" in [c.get("field") for c in dig(b, "details", "causes", default=[]) or []],
           "a cause for field metadata.name", b.get("details"))
    r = x.c.post(x.wpath(ns), x.widget("Bad_Name"))
    b = expect_status(r, 422, "Invalid", "POST Widget named Bad_Name")
    expect_eq(dig(b, "details", "kind"), "Widget", "details.kind")
    expect("metadata.name" in [c.get("field") for c in dig(b, "details", "causes", default=[]) or []],
           "a cause for field metadata.name", b.get("details"))


# ==============================================================================================
# 13. Authentication and authorization
# ==============================================================================================

@check
def auth_no_credentials(x):
    ns = x.ns()
    r = x.c.get("/api/v1/namespaces/%s/pods" % ns, auth=False)
    expect(r.status in (401, 403), "GET pods without credentials -> HTTP 401 or 403", r)
    if r.status == 401:
        expect_status(r, 401, "Unauthorized", "GET pods without credentials (anonymous auth disabled)")
        return
    expect_status(r, 403, "Forbidden", "GET pods as system:anonymous",
                  message_contains='pods is forbidden: User "system:anonymous" cannot list resource "pods" in API '
                                   'group "" in the namespace "%s"' % ns)
    expect_eq(dig(r.json, "details", "kind"), "pods", "details.kind")
    v = x.c.get("/version", auth=False)
    expect_code(v, 200, "GET /version as system:anonymous")


@check
def auth_bad_token_401(x):
    ns = x.ns()
    tok = "conformance-invalid-token-" + x.s.rid
    for path in ("/api/v1/namespaces/%s/pods" % ns, "/version"):
        r = x.c.get(path, auth=tok)
        expect_status(r, 401, "Unauthorized", "GET %s with an invalid bearer token" % path, message="Unauthorized")


def review_or_skip(x, path, body, what):
    r = x.c.post(path, body)
    if r.status == 404:
        raise CheckSkipped("%s not served (HTTP 404 for %s)" % (what, path))
    b = expect_code(r, 201, "POST " + what)
    expect_eq(b.get("kind"), body["kind"], "kind")
    return b


@check
def auth_tokenreview_own_token(x):
    if not x.c.token:
        raise CheckSkipped("the kubeconfig user has no bearer token to review")
    b = review_or_skip(x, "/apis/authentication.k8s.io/v1/tokenreviews",
                       {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                        "spec": {"token": x.c.token}}, "TokenReview")
    expect_eq(dig(b, "status", "authenticated"), True, "status.authenticated")
    u = dig(b, "status", "user", "username")
    expect(isinstance(u, str) and u, "status.user.username", dig(b, "status"))
    expect("system:authenticated" in (dig(b, "status", "user", "groups") or []),
           "status.user.groups containing system:authenticated", dig(b, "status", "user"))


@check
def auth_tokenreview_garbage_token(x):
    b = review_or_skip(x, "/apis/authentication.k8s.io/v1/tokenreviews",
                       {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
                        "spec": {"token": "conformance-garbage-" + x.s.rid}}, "TokenReview")
    expect(dig(b, "status", "authenticated") in (None, False), "status.authenticated absent or false",
           dig(b, "status"))
    expect(not dig(b, "status", "user", "username"), "no status.user.username", dig(b, "status"))


@check
def auth_subjectaccessreview(x):
    ns = x.ns()
    path = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
    attrs = {"namespace": ns, "verb": "delete", "group": "", "resource": "secrets"}
    b = review_or_skip(x, path, {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                                 "spec": {"user": "conformance-admin", "groups": ["system:masters"],
                                          "resourceAttributes": attrs}}, "SubjectAccessReview")
    expect_eq(dig(b, "status", "allowed"), True, "status.allowed for a system:masters member")
    b = review_or_skip(x, path, {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
                                 "spec": {"user": "conformance-nobody-" + x.s.rid,
                                          "resourceAttributes": attrs}}, "SubjectAccessReview")
    expect(isinstance(dig(b, "status", "allowed", default=None), bool), "status.allowed as a boolean",
           dig(b, "status"))


def rbac_grant(x, ns, user, rules):
    """A Role with `rules` in ns, bound to `user` by a RoleBinding; both go with the namespace."""
    base = "/apis/rbac.authorization.k8s.io/v1/namespaces/%s/" % ns
    expect_code(x.c.post(base + "roles", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                                          "metadata": {"name": "conformance-role"}, "rules": rules}),
                201, "POST Role")
    expect_code(x.c.post(base + "rolebindings", {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "conformance-binding"},
        "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": user}],
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "conformance-role"}}),
        201, "POST RoleBinding")


def access_review(x, path, kind, user, attrs):
    """POSTs a (Local)SubjectAccessReview for `user` and returns status.allowed."""
    b = review_or_skip(x, path, {"apiVersion": "authorization.k8s.io/v1", "kind": kind,
                                 "spec": {"user": user, "resourceAttributes": attrs}}, kind)
    allowed = dig(b, "status", "allowed", default=None)
    expect(isinstance(allowed, bool), "status.allowed as a boolean", dig(b, "status"))
    return allowed


def wait_allowed(x, path, kind, user, attrs, what):
    """The first grant may take a moment to reach the authorizer's cache on a real server."""
    ok, _ = poll(lambda: (access_review(x, path, kind, user, attrs), None))
    expect(ok, "%s: status.allowed true" % what, "false until the deadline")


@check
def auth_subjectaccessreview_role_binding(x):
    ns, other = x.ns(), x.ns()
    path = "/apis/authorization.k8s.io/v1/subjectaccessreviews"
    user = "conformance-rbac-" + x.s.rid
    access_review(x, path, "SubjectAccessReview", user, {"namespace": ns, "verb": "list", "resource": "configmaps"})
    rbac_grant(x, ns, user, [
        {"verbs": ["get", "list"], "apiGroups": [""], "resources": ["configmaps"]},
        {"verbs": ["get", "update"], "apiGroups": [""], "resources": ["secrets"], "resourceNames": ["s1"]},
    ])
    wait_allowed(x, path, "SubjectAccessReview", user, {"namespace": ns, "verb": "list", "resource": "configmaps"},
                 "list configmaps in the RoleBinding's namespace")

    def allowed(verb, resource, name=None, namespace=ns):
        attrs = {"namespace": namespace, "verb": verb, "group": "", "resource": resource}
        if name:
            attrs["name"] = name
        return access_review(x, path, "SubjectAccessReview", user, attrs)
    expect_eq(allowed("list", "configmaps", namespace=other), False, "list configmaps in another namespace")
    expect_eq(allowed("delete", "configmaps", "c"), False, "delete (a verb the Role lacks)")
    expect_eq(allowed("update", "secrets", "s1"), True, "update secret s1 (named in resourceNames)")
    expect_eq(allowed("get", "secrets", "s2"), False, "get secret s2 (not in resourceNames)")
    expect_eq(allowed("list", "secrets"), False, "list secrets (resourceNames never match a list)")


@check
def auth_localsubjectaccessreview(x):
    ns, other = x.ns(), x.ns()
    path = "/apis/authorization.k8s.io/v1/namespaces/%s/localsubjectaccessreviews" % ns
    user = "conformance-rbac-" + x.s.rid
    access_review(x, path, "LocalSubjectAccessReview", user, {"namespace": ns, "verb": "get", "resource": "pods"})
    rbac_grant(x, ns, user, [{"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}])
    wait_allowed(x, path, "LocalSubjectAccessReview", user, {"namespace": ns, "verb": "get", "resource": "pods"},
                 "get pods in the review's namespace")
    r = x.c.post(path, {"apiVersion": "authorization.k8s.io/v1", "kind": "LocalSubjectAccessReview",
                        "spec": {"user": user, "resourceAttributes": {"namespace": other, "verb": "get", "resource": "pods"}}})
    expect_status(r, 422, "Invalid", "LocalSubjectAccessReview naming another namespace",
                  message_contains=["spec.resourceAttributes.namespace", "must match metadata.namespace"])


# ==============================================================================================
# 8. Deletion, finalizers, garbage collection
# ==============================================================================================

@check
def delete_cr_returns_status(x):
    x.need_widgets()
    ns = x.ns()
    c = x.create_widget(ns, "d1")
    r = x.c.delete(x.wpath(ns, "d1"))
    b = expect_code(r, 200, "DELETE Widget without finalizers")
    expect_json_ct(r, "DELETE")
    expect_eq((b.get("kind"), b.get("apiVersion"), b.get("status")), ("Status", "v1", "Success"),
              "DELETE answer (kind, apiVersion, status)")
    expect_eq(b.get("details"), {"name": "d1", "group": x.g, "kind": "widgets", "uid": dig(c, "metadata", "uid")},
              "Status details")
    expect_status(x.c.get(x.wpath(ns, "d1")), 404, "NotFound", "GET after DELETE")
    expect_status(x.c.delete(x.wpath(ns, "d1")), 404, "NotFound", "second DELETE",
                  message='widgets.%s "d1" not found' % x.g, details={"name": "d1", "group": x.g, "kind": "widgets"})


@check
def delete_configmap_returns_status(x):
    ns = x.ns()
    c = x.create_cm(ns, "scratch")
    b = expect_code(x.c.delete(x.cm_path(ns, "scratch")), 200, "DELETE ConfigMap")
    expect_eq((b.get("kind"), b.get("status")), ("Status", "Success"), "DELETE answer (kind, status)")
    expect_eq(b.get("details"), {"name": "scratch", "kind": "configmaps", "uid": dig(c, "metadata", "uid")},
              "Status details (no group for the core group)")
    x.create_cm(ns, "kubectl-style")
    r = x.c.delete(x.cm_path(ns, "kubectl-style"), {"propagationPolicy": "Background"})
    expect_eq(dig(expect_code(r, 200, "DELETE with a DeleteOptions body"), "status"), "Success", "status")
    expect_status(x.c.delete(x.cm_path(ns, "scratch")), 404, "NotFound", "DELETE of a missing ConfigMap")


@check
def delete_with_finalizer(x):
    x.need_widgets()
    ns = x.ns()
    fin = "quiver.dev/conformance-hold"
    c = x.create_widget(ns, "wf", finalizers=[fin])
    expect_eq(dig(c, "metadata", "finalizers"), [fin], "finalizers after create")
    r = x.c.delete(x.wpath(ns, "wf"))
    d = expect_code(r, 200, "DELETE Widget with a finalizer")
    expect_eq((d.get("kind"), dig(d, "metadata", "name")), ("Widget", "wf"), "DELETE answer is the object (kind, name)")
    dts = dig(d, "metadata", "deletionTimestamp")
    expect(isinstance(dts, str) and TIMESTAMP_RE.match(dts), "metadata.deletionTimestamp set", d.get("metadata"))
    expect_eq(dig(d, "metadata", "deletionGracePeriodSeconds"), 0, "metadata.deletionGracePeriodSeconds")
    expect_eq(dig(d, "metadata", "finalizers"), [fin], "finalizers kept")
    expect_eq(dig(d, "metadata", "generation"), 2, "generation (bumped when deletionTimestamp is set)")
    expect_rv_newer(rv_of(d), rv_of(c), "DELETE with finalizers (an update)")
    g = x.get_widget(ns, "wf")
    expect_eq(dig(g, "metadata", "deletionTimestamp"), dts, "GET while terminating: deletionTimestamp")
    d2 = expect_code(x.c.delete(x.wpath(ns, "wf")), 200, "second DELETE while terminating")
    expect_eq((d2.get("kind"), dig(d2, "metadata", "deletionTimestamp"), dig(d2, "metadata", "generation")),
              ("Widget", dts, 2), "second DELETE answer (kind, deletionTimestamp, generation)")
    lst = expect_code(x.c.get(x.wpath(ns)), 200, "LIST while terminating")
    expect_eq(item_names(lst), ["wf"], "a terminating object is still listed")
    ops = [{"op": "test", "path": "/metadata/finalizers", "value": [fin]}, {"op": "remove", "path": "/metadata/finalizers"}]
    p = expect_code(x.c.patch(x.wpath(ns, "wf"), ops, JSONPATCH), 200, "JSON patch removing the last finalizer")
    expect(not dig(p, "metadata", "finalizers"), "no finalizers in the answer", p.get("metadata"))
    expect_status(x.c.get(x.wpath(ns, "wf")), 404, "NotFound", "GET after the last finalizer was removed")


@check
def namespace_deletion_removes_contents(x):
    x.need_widgets()
    ns = x.ns()
    x.create_cm(ns, "c1")
    x.create_widget(ns, "w1")
    r = x.c.delete("/api/v1/namespaces/" + ns)
    b = expect_code(r, 200, "DELETE Namespace")
    expect_eq(b.get("kind"), "Namespace", "DELETE answer kind (the namespace has the kubernetes finalizer)")
    expect(dig(b, "metadata", "deletionTimestamp"), "metadata.deletionTimestamp", b.get("metadata"))
    expect_eq(dig(b, "status", "phase"), "Terminating", "status.phase")
    r = x.c.post(x.cm_path(ns), {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "late"}})
    expect(r.status in (403, 404), "creating in a terminating namespace -> 403 Forbidden (or 404 once it is gone)", r)
    if r.status == 403:
        expect_status(r, 403, "Forbidden", "POST into a terminating namespace",
                      message_contains="because it is being terminated")

    def gone():
        codes = (x.c.get(x.cm_path(ns, "c1")).status, x.c.get(x.wpath(ns, "w1")).status,
                 x.c.get("/api/v1/namespaces/" + ns).status)
        return codes == (404, 404, 404), codes

    ok, codes = poll(gone, timeout=CONTROLLER_TIMEOUT)
    expect(ok, "ConfigMap, Widget and Namespace all 404 within %ds" % CONTROLLER_TIMEOUT,
           "HTTP %s" % (codes,))


def owned_cm(x, ns, name, owner):
    ref = {"apiVersion": x.gv, "kind": "Widget", "name": dig(owner, "metadata", "name"),
           "uid": dig(owner, "metadata", "uid"), "controller": True, "blockOwnerDeletion": True}
    return x.create_cm(ns, name, ownerReferences=[ref])


@check
def gc_foreground_deletion(x):
    x.need_widgets()
    ns = x.ns()
    owner = x.create_widget(ns, "owner1")
    x.strip_finalizers_later(x.wpath(ns, "owner1"))
    owned_cm(x, ns, "dep1", owner)
    r = x.c.delete(x.wpath(ns, "owner1"), {"kind": "DeleteOptions", "apiVersion": "v1",
                                           "propagationPolicy": "Foreground"})
    b = expect_code(r, 200, "DELETE owner with propagationPolicy=Foreground")
    expect_eq(b.get("kind"), "Widget", "DELETE answer kind (the owner, kept until its dependents are gone)")
    expect("foregroundDeletion" in (dig(b, "metadata", "finalizers") or []), "finalizer foregroundDeletion",
           dig(b, "metadata"))
    expect(dig(b, "metadata", "deletionTimestamp"), "metadata.deletionTimestamp", dig(b, "metadata"))

    def gone():
        codes = (x.c.get(x.wpath(ns, "owner1")).status, x.c.get(x.cm_path(ns, "dep1")).status)
        return codes == (404, 404), codes

    ok, codes = poll(gone, timeout=CONTROLLER_TIMEOUT)
    expect(ok, "owner and dependent both 404 within %ds (garbage collector)" % CONTROLLER_TIMEOUT,
           "HTTP (owner, dependent) %s" % (codes,))


@check
def gc_background_deletion(x):
    x.need_widgets()
    ns = x.ns()
    owner = x.create_widget(ns, "owner2")
    owned_cm(x, ns, "dep2", owner)
    r = x.c.delete(x.wpath(ns, "owner2"), {"propagationPolicy": "Background"})
    b = expect_code(r, 200, "DELETE owner with propagationPolicy=Background")
    expect_eq((b.get("kind"), b.get("status")), ("Status", "Success"), "DELETE answer (kind, status)")
    expect_status(x.c.get(x.wpath(ns, "owner2")), 404, "NotFound", "GET owner right after DELETE")

    def gone():
        code = x.c.get(x.cm_path(ns, "dep2")).status
        return code == 404, code

    ok, code = poll(gone, timeout=CONTROLLER_TIMEOUT)
    expect(ok, "the dependent garbage-collected (404) within %ds" % CONTROLLER_TIMEOUT, "HTTP %s" % code)


@check
def gc_orphan_deletion(x):
    x.need_widgets()
    ns = x.ns()
    owner = x.create_widget(ns, "owner3")
    x.strip_finalizers_later(x.wpath(ns, "owner3"))
    owned_cm(x, ns, "dep3", owner)
    r = x.c.delete(x.wpath(ns, "owner3") + "?propagationPolicy=Orphan")
    expect_code(r, 200, "DELETE owner with propagationPolicy=Orphan")

    def owner_gone():
        code = x.c.get(x.wpath(ns, "owner3")).status
        return code == 404, code

    ok, code = poll(owner_gone, timeout=CONTROLLER_TIMEOUT)
    expect(ok, "owner 404 within %ds" % CONTROLLER_TIMEOUT, "HTTP %s" % code)
    d = expect_code(x.c.get(x.cm_path(ns, "dep3")), 200, "GET the orphaned dependent")
    refs = [o.get("uid") for o in dig(d, "metadata", "ownerReferences", default=[]) or []]
    expect(dig(owner, "metadata", "uid") not in refs, "the ownerReference to the deleted owner removed",
           dig(d, "metadata", "ownerReferences"))


@check
def crd_deletion_removes_api(x):
    x.need("gizmos")
    ns = x.ns()
    path = x.rpath("gizmos", ns)
    expect_code(x.c.post(path, {"apiVersion": x.gv, "kind": "Gizmo", "metadata": {"name": "gd"}}), 201, "POST Gizmo")
    crd = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gizmos." + x.g
    r = x.c.delete(crd)
    expect_code(r, 200, "DELETE CustomResourceDefinition")
    x.s.crd_state["gizmos"] = "deleted by crd_deletion_removes_api"

    def gone():
        code = x.c.get(crd).status
        return code == 404, code

    ok, code = poll(gone, timeout=CONTROLLER_TIMEOUT)
    expect(ok, "the CRD 404 within %ds" % CONTROLLER_TIMEOUT, "HTTP %s" % code)

    def api_gone():
        code = x.c.get(path).status
        return code == 404, code

    ok, code = poll(api_gone, timeout=POLL_TIMEOUT)
    expect(ok, "GET %s -> 404 after the CRD is gone" % path, "HTTP %s" % code)


# ==============================================================================================
# Runner
# ==============================================================================================

def run(args):
    selected = [(n, f) for n, f in CHECKS if not args.only or any(o in n for o in args.only)]
    if args.list:
        for n, _ in selected:
            print(n)
        return 0
    if not selected:
        print("error: no check name contains %s (see --list)" % " or ".join(repr(o) for o in args.only),
              file=sys.stderr)
        return 2
    try:
        kc = load_kubeconfig(args.kubeconfig, args.context)
        client = Client(kc)
    except (KubeConfigError, OSError, ssl.SSLError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    try:
        r = client.get("/version", timeout=15)
    except Exception as e:  # noqa: BLE001
        print("error: cannot reach %s: %s: %s" % (kc.server, type(e).__name__, e), file=sys.stderr)
        return 2
    suite = Suite(client, kc, args.verbose)
    client.log_enabled = args.verbose
    auth = "bearer token" if kc.token else ("client certificate" if client.has_cert else
                                            ("basic auth" if client.basic else "no credentials"))
    ver = dig(r.json, "gitVersion") if r.status == 200 else "HTTP %d" % r.status
    print("# server %s (%s), %s, run %s, %d checks" % (kc.server, ver, auth, suite.rid, len(selected)))
    sys.stdout.flush()
    passed = failed = skipped = 0
    t_start = time.time()
    try:
        for name, fn in selected:
            x = Ctx(suite)
            client.log = []
            t0 = time.time()
            try:
                fn(x)
                status, msg = "PASS", ""
            except CheckSkipped as e:
                status, msg = "SKIP", str(e)
            except CheckFailed as e:
                status, msg = "FAIL", str(e)
            except KeyboardInterrupt:
                raise
            except Exception as e:  # noqa: BLE001
                status, msg = "FAIL", "expected no client-side error, got %s: %s" % (type(e).__name__, e)
                if args.verbose:
                    traceback.print_exc(file=sys.stdout)
            finally:
                x.cleanup()
            took = time.time() - t0
            if status == "PASS":
                passed += 1
                print("PASS %s%s" % (name, " (%.1fs)" % took if args.verbose else ""))
            elif status == "SKIP":
                skipped += 1
                print("SKIP %s: %s" % (name, msg))
            else:
                failed += 1
                print("FAIL %s: %s" % (name, msg))
                if args.verbose:
                    print_log(client.log)
            sys.stdout.flush()
    except KeyboardInterrupt:
        print("interrupted; cleaning up", file=sys.stderr)
        failed += 1
    finally:
        client.log_enabled = False
        for crd in suite.crds_created:
            plural = crd.split(".", 1)[0]
            if suite.crd_state.get(plural, "").startswith("deleted"):
                continue
            try:
                client.delete("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/" + crd, timeout=15)
            except Exception:  # noqa: BLE001
                pass
    print("# %.1fs" % (time.time() - t_start))
    print("%d passed, %d failed, %d skipped" % (passed, failed, skipped))
    return 1 if failed else 0


def print_log(log):
    for method, path, hdrs, body, resp, err in log[-6:]:
        print("    > %s %s %s" % (method, path, json.dumps({k: v for k, v in hdrs.items() if k != "User-Agent"})))
        if body is not None:
            print("    > %s" % (body if isinstance(body, str) else short(body, 1500)))
        if err is not None:
            print("    < error %s: %s" % (type(err).__name__, err))
        elif resp is not None:
            print("    < HTTP %s %s" % (resp.status, resp.content_type))
            if resp.header("Warning"):
                print("    < Warning: %s" % "; ".join(resp.header_all("Warning")))
            print("    < %s" % resp.text(1500))


def main(argv=None):
    p = argparse.ArgumentParser(description="Kubernetes API conformance checks (see the module docstring).")
    p.add_argument("--kubeconfig", default=os.environ.get("KUBECONFIG", "").split(os.pathsep)[0] or
                   os.path.expanduser("~/.kube/config"))
    p.add_argument("--context", default=None)
    p.add_argument("--only", action="append", default=[], metavar="SUBSTR")
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("--list", action="store_true")
    return run(p.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
