#!/usr/bin/env python3
"""Checks EmbeddedKube's protobuf tables against the message descriptors compiled into kubectl.

kubectl embeds the gzipped FileDescriptorProtos of k8s.io/api and k8s.io/apimachinery; this finds
them, and for every `N: .kind("json")` entry of Sources/EmbeddedKube/ProtobufSchema+Builtins.swift
checks that field N of that message exists with that name, cardinality and type.
Usage: hack/check-protobuf-tables.py [PATH/TO/kubectl]   (prints "N fields checked, M problems")
"""
import os, re, shutil, sys, zlib

# The few fields whose proto name is not their JSON name (the Go field name leaks into the proto).
PROTO_NAME_DIFFERS = {('uID', 'uid')}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KUBECTL = sys.argv[1] if len(sys.argv) > 1 else shutil.which('kubectl')
if not KUBECTL:
    sys.exit('kubectl not found')
binary = open(KUBECTL, 'rb').read()
found = {}
for m in re.finditer(rb'\x1f\x8b\x08\x00\x00\x00\x00\x00', binary):
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(binary[m.start():m.start() + 2000000])
    except zlib.error:
        continue
    if b'generated.proto' in out[:200]:
        found[out[2:2 + out[1]].decode(errors='replace')] = out


def fields(buf):
    i = 0
    while i < len(buf):
        key = 0; shift = 0
        while True:
            b = buf[i]; i += 1; key |= (b & 0x7f) << shift; shift += 7
            if b < 0x80: break
        n, wt = key >> 3, key & 7
        if wt == 0:
            v = 0; shift = 0
            while True:
                b = buf[i]; i += 1; v |= (b & 0x7f) << shift; shift += 7
                if b < 0x80: break
            yield n, v
        elif wt == 2:
            l = 0; shift = 0
            while True:
                b = buf[i]; i += 1; l |= (b & 0x7f) << shift; shift += 7
                if b < 0x80: break
            yield n, buf[i:i+l]; i += l
        elif wt == 5: yield n, buf[i:i+4]; i += 4
        elif wt == 1: yield n, buf[i:i+8]; i += 8
        else: raise Exception(wt)

messages = {}
def walk_msg(buf, prefix):
    name = None; flds = {}; nested = []
    for n, v in fields(buf):
        if n == 1: name = v.decode()
        elif n == 2:
            f = {}
            for fn, fv in fields(v):
                if fn == 1: f['name'] = fv.decode()
                elif fn == 3: f['number'] = fv
                elif fn == 4: f['label'] = fv
                elif fn == 5: f['type'] = fv
                elif fn == 6: f['type_name'] = fv.decode()
            flds[f['number']] = f
        elif n == 3: nested.append(v)
    full = prefix + '.' + name
    messages[full] = flds
    for nb in nested: walk_msg(nb, full)

for fname, data in found.items():
    pkg = None
    for n, v in fields(data):
        if n == 2: pkg = v.decode()
    for n, v in fields(data):
        if n == 4: walk_msg(v, '.' + pkg)


PKG = {'meta/v1': '.k8s.io.apimachinery.pkg.apis.meta.v1', 'core/v1': '.k8s.io.api.core.v1', 'apps/v1': '.k8s.io.api.apps.v1',
       'rbac/v1': '.k8s.io.api.rbac.v1', 'authorization/v1': '.k8s.io.api.authorization.v1',
       'authentication/v1': '.k8s.io.api.authentication.v1', 'coordination/v1': '.k8s.io.api.coordination.v1',
       'policy/v1': '.k8s.io.api.policy.v1', 'autoscaling/v2': '.k8s.io.api.autoscaling.v2', 'autoscaling/v1': '.k8s.io.api.autoscaling.v1', 'events/v1': '.k8s.io.api.events.v1', 'events.k8s.io/v1': '.k8s.io.api.events.v1',
       'runtime': '.k8s.io.apimachinery.pkg.runtime'}
RENAME = {'core/v1 KeySelector': ['core/v1 ConfigMapKeySelector', 'core/v1 SecretKeySelector']}
KIND_TYPE = {'string': 9, 'strings': 9, 'stringMap': 11, 'bytes': 12, 'bool': 8, 'int32': 5, 'int64': 3}

src = ''.join(open(os.path.join(ROOT, 'Sources/EmbeddedKube', f)).read() for f in ['ProtobufSchema+Builtins.swift', 'EmbeddedKube+Protobuf.swift'])
tok = re.compile(r'(?:ProtobufSchema|object)\("([^"]+)", \[|(\[)|(\])|(\d+): \.(\w+)\((?:"(\w*)")?(?:, \.(\w+))?(?:, \.(\w+))?')
stack = []; depth = 0; problems = 0; checked = 0
for m in tok.finditer(src):
    if m.group(1):
        depth += 1; stack.append((m.group(1), depth)); continue
    if m.group(2): depth += 1; continue
    if m.group(3):
        if stack and stack[-1][1] == depth: stack.pop()
        depth -= 1; continue
    if not stack: continue
    owner = stack[-1][0]
    num, ctor, json, kind, shape = int(m.group(4)), m.group(5), m.group(6), m.group(7), m.group(8)
    for o in RENAME.get(owner, [owner]):
        grp, name = o.split(' ')
        full = PKG[grp] + '.' + name
        if full not in messages: print('NO MESSAGE', o); problems += 1; continue
        f = messages[full].get(num)
        checked += 1
        if f is None: print(f'{o} field {num} ({json}): not in proto'); problems += 1; continue
        expected = json if ctor != 'inline' else None
        if expected is not None and f['name'] != expected and (f['name'], expected) not in PROTO_NAME_DIFFERS:
            print(f'{o} field {num}: ours {json}, proto {f["name"]}'); problems += 1
        rep = f.get('label') == 3
        ours_rep = ctor in ('strings', 'messages', 'stringMap') or shape in ('repeated', 'map')
        if rep != ours_rep: print(f'{o} field {num} {json}: repeated mismatch (proto label {f.get("label")})'); problems += 1
        t = f.get('type')
        k = kind if ctor == 'field' else ctor
        if shape == 'map' or ctor == 'stringMap':
            if t != 11 or not f.get('type_name', '').endswith('Entry'): print(f'{o} {num} {json}: not a map in proto'); problems += 1
            else:
                value = messages[f['type_name']][2]
                want = {'stringMap': (9, ''), 'string': (9, ''), 'bytes': (12, ''), 'quantity': (11, '.Quantity'),
                        'time': (11, '.Time'), 'stringList': (11, '.ExtraValue')}[k]
                if value.get('type') != want[0] or not value.get('type_name', '').endswith(want[1]):
                    print(f'{o} {num} {json}: map of {k}, proto values {value.get("type")} {value.get("type_name", "")}'); problems += 1
        elif k in KIND_TYPE and KIND_TYPE[k] != t: print(f'{o} {num} {json}: ours {k}, proto type {t}'); problems += 1
        elif k in ('message', 'messages', 'inline', 'time', 'microTime', 'quantity', 'intOrString', 'rawJSON', 'stringList') and t != 11:
            print(f'{o} {num} {json}: ours {k}, proto type {t}'); problems += 1
        elif k in ('time', 'microTime', 'quantity', 'intOrString', 'rawJSON'):
            want = {'time': 'Time', 'microTime': 'MicroTime', 'quantity': 'Quantity', 'intOrString': 'IntOrString', 'rawJSON': 'FieldsV1'}[k]
            if not f['type_name'].endswith('.' + want): print(f'{o} {num} {json}: ours {k}, proto {f["type_name"]}'); problems += 1
print(f'{checked} fields checked, {problems} problems')
sys.exit(1 if problems or not checked else 0)
