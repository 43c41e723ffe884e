#!/usr/bin/env python3
"""Export a BERT-family sentence-transformers model (Hugging Face layout) to ONNX.

    python hack/export-onnx.py MODEL_DIR OUT_PATH

Reads MODEL_DIR/config.json and MODEL_DIR/model.safetensors and writes an ONNX graph
equivalent to transformers' BertModel(...).last_hidden_state.  Only `onnx` and
`numpy` are needed: the safetensors file is parsed by hand (8-byte little-endian
header length, JSON header {name: {dtype, shape, data_offsets}}, raw tensor bytes).

    python hack/export-onnx.py --portable MODEL_DIR OUT_PATH

Graph contract
    inputs   input_ids, attention_mask, token_type_ids   int64 [batch, sequence]
    output   last_hidden_state                           float32 [batch, sequence, hidden]

Two forms:

  default (packed)  ONNX Runtime's fused BERT ops written directly (com.microsoft
      EmbedLayerNormalization, Attention, BiasGelu, at opset 17 with the standard
      LayerNormalization after each residual Sum: close to the graph ORT's optimizer makes
      of the portable form, minus its slower SkipLayerNormalization), with one difference: attention_mask
      may hold segment numbers.  0 is padding, 1, 2, 3, ... are sequences packed one
      after another in the same row.  A token attends only to keys of its own segment,
      and positions restart at 0 where a segment >= 2 starts.  A plain 0/1 mask gives
      exactly the portable graph's result (segment 1 keeps positions 0..S-1, as
      transformers does).  The model's metadata says so
      (quiver.attention_mask = segments), and quiver-embed then packs short inputs
      into shared rows instead of padding them.  ORT-only (the ops are contrib ops).
  --portable  standard ONNX ops only (opset 12), described next; any runtime.

The portable graph is written at ONNX opset 12 in the decomposed form that the classic
PyTorch exporter produced for transformers' BERT (ReduceMean/Sub/Pow/Sqrt/Div
LayerNorm, Div+Erf GELU, Unsqueeze/Cast/Sub/Mul(-10000) additive attention mask,
Div by sqrt(head_size) on the scores).  That is exactly the shape ONNX Runtime's
built-in graph optimizer (ORT_ENABLE_EXTENDED and above) pattern-matches, so on
session creation ORT rewrites it into its fused contrib ops: LayerNormalization,
Attention, EmbedLayerNormalization, SkipLayerNormalization, BiasGelu.  Newer opsets
do NOT fuse as well: ORT's Attention matcher only accepts Add/Mul/Sub/Div up to
opset 13 and Unsqueeze with the `axes` attribute (opset <= 12).

Additive mask: (1 - mask) * -10000 like transformers' export-era BertModel (newer
transformers use float32 min).  Either drives exp() to exactly 0 in float32 for
masked keys, so the outputs are the same; -10000 is the value ORT's fusion expects.
"""

import json
import math
import os
import struct
import sys
import time

import numpy as np

try:
    import onnx
    from onnx import TensorProto, helper, numpy_helper
except ImportError:  # pragma: no cover
    sys.exit("export-onnx: the `onnx` package is required (pip install onnx)")

OPSET = 12
PACKED_OPSET = 17  # standard LayerNormalization
MASK_FILTER_VALUE = -10000.0


class ExportError(Exception):
    pass


def log(msg):
    print(f"[export-onnx] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- safetensors

_ST_DTYPES = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),  # widened by hand below
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("?"),
}


class SafeTensors:
    """Minimal reader for the safetensors format; tensors are returned as numpy arrays."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            raw = f.read(8)
            if len(raw) != 8:
                raise ExportError(f"{path}: too short to be a safetensors file")
            (header_len,) = struct.unpack("<Q", raw)
            size = os.fstat(f.fileno()).st_size
            if header_len > size - 8:
                raise ExportError(f"{path}: header length {header_len} exceeds file size {size}")
            try:
                header = json.loads(f.read(header_len).decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                raise ExportError(f"{path}: bad safetensors JSON header ({e})") from None
        header.pop("__metadata__", None)
        self.entries = header
        self.data_start = 8 + header_len
        self.buf = np.memmap(path, dtype=np.uint8, mode="r")
        if len(self.buf) < self.data_start:
            raise ExportError(f"{path}: truncated")

    def keys(self):
        return self.entries.keys()

    def __contains__(self, name):
        return name in self.entries

    def get(self, name):
        e = self.entries[name]
        dtype = e["dtype"]
        if dtype not in _ST_DTYPES:
            raise ExportError(f"tensor {name}: unsupported safetensors dtype {dtype}")
        shape = tuple(int(d) for d in e["shape"])
        begin, end = (int(x) for x in e["data_offsets"])
        np_dtype = _ST_DTYPES[dtype]
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if end - begin != count * np_dtype.itemsize or self.data_start + end > len(self.buf):
            raise ExportError(f"tensor {name}: data_offsets {begin}..{end} do not match {dtype}{list(shape)}")
        arr = np.frombuffer(self.buf, dtype=np_dtype, count=count, offset=self.data_start + begin)
        if dtype == "BF16":
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        return arr.reshape(shape)


# --------------------------------------------------------------------------- config / weights

SUPPORTED_ACTS = ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu")


def load_config(model_dir):
    path = os.path.join(model_dir, "config.json")
    try:
        with open(path) as f:
            cfg = json.load(f)
    except FileNotFoundError:
        raise ExportError(f"{path} not found") from None
    except json.JSONDecodeError as e:
        raise ExportError(f"{path}: invalid JSON ({e})") from None

    model_type = cfg.get("model_type")
    if model_type != "bert":
        raise ExportError(f"unsupported model_type {model_type!r} in {path} (only 'bert' is handled)")
    archs = cfg.get("architectures") or []
    bad = [a for a in archs if not str(a).startswith("Bert")]
    if bad:
        raise ExportError(f"unsupported architectures {bad} in {path} (expected Bert* encoders)")
    if cfg.get("is_decoder") or cfg.get("add_cross_attention"):
        raise ExportError(f"unsupported BERT variant in {path}: decoder/cross-attention configurations are not handled")
    pet = cfg.get("position_embedding_type", "absolute")
    if pet != "absolute":
        raise ExportError(f"unsupported position_embedding_type {pet!r} in {path} (only 'absolute')")
    act = cfg.get("hidden_act", "gelu")
    if act not in SUPPORTED_ACTS:
        raise ExportError(f"unsupported hidden_act {act!r} in {path} (handled: {', '.join(SUPPORTED_ACTS)})")

    need = ["hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size"]
    missing = [k for k in need if not isinstance(cfg.get(k), int)]
    if missing:
        raise ExportError(f"config {path} lacks integer field(s): {', '.join(missing)}")
    if cfg["hidden_size"] % cfg["num_attention_heads"]:
        raise ExportError(f"hidden_size {cfg['hidden_size']} is not a multiple of num_attention_heads "
                          f"{cfg['num_attention_heads']}")
    return cfg


class Weights:
    """Name resolution over the checkpoint: optional `bert.` prefix, LayerNorm gamma/beta aliases."""

    def __init__(self, st):
        self.st = st
        keys = set(st.keys())
        if "embeddings.word_embeddings.weight" in keys:
            self.prefix = ""
        elif "bert.embeddings.word_embeddings.weight" in keys:
            self.prefix = "bert."
        else:
            self.prefix = ""
        self.missing = []

    def _resolve(self, name):
        cands = [self.prefix + name]
        if name.endswith("LayerNorm.weight"):
            cands.append(self.prefix + name[: -len("weight")] + "gamma")
        elif name.endswith("LayerNorm.bias"):
            cands.append(self.prefix + name[: -len("bias")] + "beta")
        for c in cands:
            if c in self.st:
                return c
        return None

    def get(self, name, shape):
        key = self._resolve(name)
        if key is None:
            self.missing.append(self.prefix + name)
            return np.zeros(shape, dtype=np.float32)  # placeholder; export fails after collecting all
        arr = self.st.get(key)
        if tuple(arr.shape) != tuple(shape):
            raise ExportError(f"weight {key} has shape {list(arr.shape)}, expected {list(shape)}")
        return np.ascontiguousarray(arr, dtype=np.float32)


# --------------------------------------------------------------------------- graph builder


class Graph:
    def __init__(self):
        self.nodes = []
        self.inits = []
        self._names = set()
        self._consts = {}
        self._counter = {}

    def _uniq(self, base):
        n = self._counter.get(base, 0)
        self._counter[base] = n + 1
        name = base if n == 0 else f"{base}_{n}"
        while name in self._names:
            n += 1
            name = f"{base}_{n}"
        self._names.add(name)
        return name

    def init(self, name, array):
        name = self._uniq(name)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def const(self, value, dtype):
        """Shared scalar/1-D initializer for a constant (deduplicated by value)."""
        arr = np.array(value, dtype=dtype)
        key = (arr.dtype.str, arr.shape, arr.tobytes())
        if key not in self._consts:
            self._consts[key] = self.init("const", arr)
        return self._consts[key]

    def op(self, op_type, inputs, name, **attrs):
        out = self._uniq(name)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out


def layer_norm(g, x, gamma, beta, eps, name):
    """Decomposed LayerNorm over the last axis (ORT fuses it into LayerNormalization)."""
    mean = g.op("ReduceMean", [x], f"{name}/mean", axes=[-1], keepdims=1)
    centered = g.op("Sub", [x, mean], f"{name}/centered")
    sq = g.op("Pow", [centered, g.const(2.0, np.float32)], f"{name}/sq")
    var = g.op("ReduceMean", [sq], f"{name}/var", axes=[-1], keepdims=1)
    var_eps = g.op("Add", [var, g.const(eps, np.float32)], f"{name}/var_eps")
    std = g.op("Sqrt", [var_eps], f"{name}/std")
    normed = g.op("Div", [centered, std], f"{name}/normed")
    scaled = g.op("Mul", [normed, gamma], f"{name}/scaled")
    return g.op("Add", [scaled, beta], f"{name}/out")


def activation(g, x, act, name):
    if act == "gelu":
        # x * 0.5 * (1 + erf(x / sqrt(2)))  -- transformers' GELUActivation (exact)
        d = g.op("Div", [x, g.const(math.sqrt(2.0), np.float32)], f"{name}/div")
        e = g.op("Erf", [d], f"{name}/erf")
        a = g.op("Add", [e, g.const(1.0, np.float32)], f"{name}/add")
        m = g.op("Mul", [x, a], f"{name}/mul")
        return g.op("Mul", [m, g.const(0.5, np.float32)], f"{name}/out")
    if act in ("gelu_new", "gelu_pytorch_tanh"):
        # 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
        p = g.op("Pow", [x, g.const(3.0, np.float32)], f"{name}/cube")
        c = g.op("Mul", [p, g.const(0.044715, np.float32)], f"{name}/cube_scaled")
        s = g.op("Add", [x, c], f"{name}/inner")
        k = g.op("Mul", [s, g.const(math.sqrt(2.0 / math.pi), np.float32)], f"{name}/inner_scaled")
        t = g.op("Tanh", [k], f"{name}/tanh")
        a = g.op("Add", [t, g.const(1.0, np.float32)], f"{name}/add")
        h = g.op("Mul", [x, g.const(0.5, np.float32)], f"{name}/half")
        return g.op("Mul", [h, a], f"{name}/out")
    if act == "relu":
        return g.op("Relu", [x], f"{name}/out")
    raise ExportError(f"unsupported hidden_act {act!r}")


def model_dims(cfg, w):
    """(hidden, heads, layers, intermediate, vocab, max positions, type vocab, eps, activation)
    from config.json, the vocabulary size falling back to the embedding table's rows."""
    vocab = int(cfg.get("vocab_size", 0))
    if vocab <= 0:
        key = w._resolve("embeddings.word_embeddings.weight")
        vocab = w.st.get(key).shape[0] if key else 0
    return (cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"], cfg["intermediate_size"], vocab,
            int(cfg.get("max_position_embeddings", 512)), int(cfg.get("type_vocab_size", 2)),
            float(cfg.get("layer_norm_eps", 1e-12)), cfg.get("hidden_act", "gelu"))


def build_model(cfg, w):
    H, heads, layers, inter, vocab, max_pos, type_vocab, eps, act = model_dims(cfg, w)
    head_size = H // heads

    g = Graph()
    g._names.update(["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"])

    def linear(x, prefix, n_in, n_out, name):
        wt = w.get(f"{prefix}.weight", (n_out, n_in))
        b = w.get(f"{prefix}.bias", (n_out,))
        wname = g.init(f"{prefix}.weight.T", np.ascontiguousarray(wt.T))
        bname = g.init(f"{prefix}.bias", b)
        mm = g.op("MatMul", [x, wname], f"{name}/MatMul")
        return g.op("Add", [mm, bname], f"{name}/Add")

    def ln_params(prefix):
        gamma = g.init(f"{prefix}.weight", w.get(f"{prefix}.weight", (H,)))
        beta = g.init(f"{prefix}.bias", w.get(f"{prefix}.bias", (H,)))
        return gamma, beta

    # ---- embeddings: word + position + token_type, LayerNorm
    word_tab = g.init("embeddings.word_embeddings.weight", w.get("embeddings.word_embeddings.weight", (vocab, H)))
    pos_tab = g.init("embeddings.position_embeddings.weight",
                     w.get("embeddings.position_embeddings.weight", (max_pos, H)))
    type_tab = g.init("embeddings.token_type_embeddings.weight",
                      w.get("embeddings.token_type_embeddings.weight", (type_vocab, H)))

    word = g.op("Gather", [word_tab, "input_ids"], "embeddings/word", axis=0)
    # position ids 0..S-1: Shape -> Gather(1) -> Range -> Unsqueeze -> Expand(shape(input_ids))
    ids_shape = g.op("Shape", ["input_ids"], "embeddings/ids_shape")
    seq_len = g.op("Gather", [ids_shape, g.const(1, np.int64)], "embeddings/seq_len", axis=0)
    pos_range = g.op("Range", [g.const(0, np.int64), seq_len, g.const(1, np.int64)], "embeddings/pos_range")
    pos_row = g.op("Unsqueeze", [pos_range], "embeddings/pos_row", axes=[0])
    pos_ids = g.op("Expand", [pos_row, ids_shape], "embeddings/position_ids")
    pos = g.op("Gather", [pos_tab, pos_ids], "embeddings/position", axis=0)
    tok = g.op("Gather", [type_tab, "token_type_ids"], "embeddings/token_type", axis=0)
    word_pos = g.op("Add", [word, pos], "embeddings/word_pos")
    emb = g.op("Add", [word_pos, tok], "embeddings/sum")
    gamma, beta = ln_params("embeddings.LayerNorm")
    hidden = layer_norm(g, emb, gamma, beta, eps, "embeddings/LayerNorm")

    # ---- extended attention mask: (1 - mask[:, None, None, :]) * -10000, shared by all layers
    m1 = g.op("Unsqueeze", ["attention_mask"], "mask/unsqueeze1", axes=[1])
    m2 = g.op("Unsqueeze", [m1], "mask/unsqueeze2", axes=[2])
    mf = g.op("Cast", [m2], "mask/float", to=TensorProto.FLOAT)
    inv = g.op("Sub", [g.const(1.0, np.float32), mf], "mask/inverted")
    mask_add = g.op("Mul", [inv, g.const(MASK_FILTER_VALUE, np.float32)], "mask/additive")

    heads_shape = g.const([0, 0, heads, head_size], np.int64)
    merge_shape = g.const([0, 0, H], np.int64)
    scale = g.const(math.sqrt(head_size), np.float32)

    for i in range(layers):
        p = f"encoder.layer.{i}"
        n = f"layer{i}"
        # self-attention
        q = linear(hidden, f"{p}.attention.self.query", H, H, f"{n}/attention/query")
        k = linear(hidden, f"{p}.attention.self.key", H, H, f"{n}/attention/key")
        v = linear(hidden, f"{p}.attention.self.value", H, H, f"{n}/attention/value")
        q = g.op("Reshape", [q, heads_shape], f"{n}/attention/q_heads")
        q = g.op("Transpose", [q], f"{n}/attention/q_bnsh", perm=[0, 2, 1, 3])
        k = g.op("Reshape", [k, heads_shape], f"{n}/attention/k_heads")
        k = g.op("Transpose", [k], f"{n}/attention/k_bnhs", perm=[0, 2, 3, 1])
        v = g.op("Reshape", [v, heads_shape], f"{n}/attention/v_heads")
        v = g.op("Transpose", [v], f"{n}/attention/v_bnsh", perm=[0, 2, 1, 3])
        scores = g.op("MatMul", [q, k], f"{n}/attention/scores")
        scores = g.op("Div", [scores, scale], f"{n}/attention/scaled")
        scores = g.op("Add", [scores, mask_add], f"{n}/attention/masked")
        probs = g.op("Softmax", [scores], f"{n}/attention/probs", axis=3)
        ctx = g.op("MatMul", [probs, v], f"{n}/attention/context")
        ctx = g.op("Transpose", [ctx], f"{n}/attention/context_bsnh", perm=[0, 2, 1, 3])
        ctx = g.op("Reshape", [ctx, merge_shape], f"{n}/attention/context_merged")
        attn = linear(ctx, f"{p}.attention.output.dense", H, H, f"{n}/attention/output")
        attn = g.op("Add", [attn, hidden], f"{n}/attention/residual")
        gamma, beta = ln_params(f"{p}.attention.output.LayerNorm")
        hidden = layer_norm(g, attn, gamma, beta, eps, f"{n}/attention/LayerNorm")
        # feed-forward
        ff = linear(hidden, f"{p}.intermediate.dense", H, inter, f"{n}/intermediate")
        ff = activation(g, ff, act, f"{n}/intermediate/act")
        ff = linear(ff, f"{p}.output.dense", inter, H, f"{n}/output")
        ff = g.op("Add", [ff, hidden], f"{n}/output/residual")
        gamma, beta = ln_params(f"{p}.output.LayerNorm")
        hidden = layer_norm(g, ff, gamma, beta, eps, f"{n}/output/LayerNorm")

    return finish_model(g, w, H, OPSET, [], f"BertModel last_hidden_state ({layers} layers, hidden {H}, {heads} heads, "
                                           f"{act}, layer_norm_eps {eps})")


def finish_model(g, w, H, opset_version, extra_opsets, doc):
    """Fails on missing weights, names the last node's output last_hidden_state, and wraps the
    graph with the contract's inputs and output."""
    if w.missing:
        shown = ", ".join(w.missing[:6]) + (f", ... ({len(w.missing)} in all)" if len(w.missing) > 6 else "")
        raise ExportError(f"model.safetensors lacks expected weight(s): {shown}")
    g.nodes[-1].output[0] = "last_hidden_state"
    inputs = [helper.make_tensor_value_info(nm, TensorProto.INT64, ["batch", "sequence"])
              for nm in ("input_ids", "attention_mask", "token_type_ids")]
    outputs = [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", H])]
    graph = helper.make_graph(g.nodes, "bert", inputs, outputs, initializer=g.inits)
    default = helper.make_opsetid("", opset_version)
    model = helper.make_model(graph, opset_imports=[default] + extra_opsets,
                              producer_name="quiver-embed hack/export-onnx.py", doc_string=doc)
    model.ir_version = helper.find_min_ir_version_for([default])
    return model


PACKING_KEY = "quiver.attention_mask"
PACKING_VALUE = "segments"


def segment_subgraph(g):
    """From attention_mask (segment numbers, 0 = padding) to the Attention op's 3D mask and the
    position ids.

    mask3[b, i, j] = key j is real and (j is in i's segment, or query i is padding)
    position[b, i] = i - (first index of i's segment), for segments >= 2; i otherwise
    A 0/1 mask thus gives transformers' BertModel exactly (padding queries see every real key,
    positions run 0..S-1); packed rows keep their sequences apart.
    """
    q = g.op("Unsqueeze", ["attention_mask", g.const([2], np.int64)], "mask/query")   # [B, S, 1]
    k = g.op("Unsqueeze", ["attention_mask", g.const([1], np.int64)], "mask/key")     # [B, 1, S]
    zero = g.const(0, np.int64)
    same = g.op("Equal", [q, k], "mask/same_segment")                           # [B, S, S]
    key_real = g.op("Greater", [k, zero], "mask/key_real")
    query_pad = g.op("Equal", [q, zero], "mask/query_padding")
    visible = g.op("Or", [same, query_pad], "mask/visible")
    allowed = g.op("And", [visible, key_real], "mask/allowed")
    mask3 = g.op("Cast", [allowed], "mask/int32", to=TensorProto.INT32)
    # first index of each token's segment: ArgMax over keys of same_segment (first maximum)
    same_i32 = g.op("Cast", [same], "positions/same_int32", to=TensorProto.INT32)
    start = g.op("ArgMax", [same_i32], "positions/segment_start", axis=2, keepdims=0)   # [B, S]
    later = g.op("Greater", ["attention_mask", g.const(1, np.int64)], "positions/later_segment")
    later64 = g.op("Cast", [later], "positions/later_int64", to=TensorProto.INT64)
    shift = g.op("Mul", [start, later64], "positions/shift")
    ids_shape = g.op("Shape", ["attention_mask"], "positions/shape")
    seq_len = g.op("Gather", [ids_shape, g.const(1, np.int64)], "positions/seq_len", axis=0)
    arange = g.op("Range", [zero, seq_len, g.const(1, np.int64)], "positions/range")
    pos = g.op("Sub", [arange, shift], "positions/ids")
    pos32 = g.op("Cast", [pos], "positions/int32", to=TensorProto.INT32)
    return mask3, pos32


def residual_layer_norm(g, terms, gamma, beta, eps, out):
    """LayerNorm(sum of terms) into `out`: matmul output + bias + residual.

    Written as Sum + LayerNormalization, which ONNX Runtime leaves alone, rather than its fused
    SkipLayerNormalization: on CPU (1.31) that kernel made whole runs 9-13% slower (it computes
    mean and variance with a scalar running update).  Add + LayerNormalization would be fused
    back into it; Sum is not.
    """
    total = g.op("Sum", terms, f"{out}/sum")
    g.nodes.append(helper.make_node("LayerNormalization", [total, gamma, beta], [out], name=out, axis=-1, epsilon=eps))
    return out


def build_packed_model(cfg, w):
    """The fused, segment-aware graph (see the module docstring)."""
    H, heads, layers, inter, vocab, max_pos, type_vocab, eps, act = model_dims(cfg, w)
    if act not in ("gelu", "gelu_new", "gelu_pytorch_tanh", "relu"):
        raise ExportError(f"unsupported hidden_act {act!r}")
    ms = "com.microsoft"

    g = Graph()
    g._names.update(["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"])

    def weight_t(prefix, n_in, n_out):
        return np.ascontiguousarray(w.get(f"{prefix}.weight", (n_out, n_in)).T)

    def ln_params(prefix):
        gamma = g.init(f"{prefix}.weight", w.get(f"{prefix}.weight", (H,)))
        beta = g.init(f"{prefix}.bias", w.get(f"{prefix}.bias", (H,)))
        return gamma, beta

    def output_block(x, block, n_in, residual, mm_name, out_name):
        """BertSelfOutput / BertOutput: LayerNorm(x @ dense + bias + residual)."""
        mm = g.op("MatMul", [x, g.init(f"{block}.dense.weight.T", weight_t(f"{block}.dense", n_in, H))], mm_name)
        gamma, beta = ln_params(f"{block}.LayerNorm")
        bias = g.init(f"{block}.dense.bias", w.get(f"{block}.dense.bias", (H,)))
        return residual_layer_norm(g, [mm, bias, residual], gamma, beta, eps, g._uniq(out_name))

    mask3, pos32 = segment_subgraph(g)
    ids32 = g.op("Cast", ["input_ids"], "embeddings/ids_int32", to=TensorProto.INT32)
    types32 = g.op("Cast", ["token_type_ids"], "embeddings/types_int32", to=TensorProto.INT32)
    word_tab = g.init("embeddings.word_embeddings.weight", w.get("embeddings.word_embeddings.weight", (vocab, H)))
    pos_tab = g.init("embeddings.position_embeddings.weight",
                     w.get("embeddings.position_embeddings.weight", (max_pos, H)))
    type_tab = g.init("embeddings.token_type_embeddings.weight",
                      w.get("embeddings.token_type_embeddings.weight", (type_vocab, H)))
    gamma, beta = ln_params("embeddings.LayerNorm")
    hidden = g._uniq("embeddings/LayerNorm/out")
    g.nodes.append(helper.make_node(
        "EmbedLayerNormalization",
        [ids32, types32, word_tab, pos_tab, type_tab, gamma, beta, "", pos32],
        [hidden, g._uniq("embeddings/mask_index")], name=hidden, domain=ms, epsilon=eps))

    for i in range(layers):
        p = f"encoder.layer.{i}"
        n = f"layer{i}"
        qkv_w = np.concatenate([weight_t(f"{p}.attention.self.{x}", H, H) for x in ("query", "key", "value")], axis=1)
        qkv_b = np.concatenate([w.get(f"{p}.attention.self.{x}.bias", (H,)) for x in ("query", "key", "value")])
        ctx = g._uniq(f"{n}/attention/context")
        g.nodes.append(helper.make_node(
            "Attention", [hidden, g.init(f"{p}.attention.qkv.weight", qkv_w), g.init(f"{p}.attention.qkv.bias", qkv_b), mask3],
            [ctx], name=ctx, domain=ms, num_heads=heads, mask_filter_value=MASK_FILTER_VALUE))
        attn = output_block(ctx, f"{p}.attention.output", H, hidden, f"{n}/attention/output/MatMul", f"{n}/attention/LayerNorm/out")
        ff = g.op("MatMul", [attn, g.init(f"{p}.intermediate.dense.weight.T", weight_t(f"{p}.intermediate.dense", H, inter))],
                  f"{n}/intermediate/MatMul")
        ibias = g.init(f"{p}.intermediate.dense.bias", w.get(f"{p}.intermediate.dense.bias", (inter,)))
        if act == "relu":
            ff = g.op("Relu", [g.op("Add", [ff, ibias], f"{n}/intermediate/Add")], f"{n}/intermediate/act/out")
        else:
            out = g._uniq(f"{n}/intermediate/act/out")
            g.nodes.append(helper.make_node("BiasGelu" if act == "gelu" else "FastGelu", [ff, ibias], [out],
                                            name=out, domain=ms))
            ff = out
        hidden = output_block(ff, f"{p}.output", inter, attn, f"{n}/output/MatMul", f"{n}/output/LayerNorm/out")

    model = finish_model(g, w, H, PACKED_OPSET, [helper.make_opsetid(ms, 1)],
                         f"BertModel last_hidden_state ({layers} layers, hidden {H}, {heads} heads, {act}, "
                         f"layer_norm_eps {eps}); fused ONNX Runtime ops, attention_mask may hold segment numbers")
    helper.set_model_props(model, {PACKING_KEY: PACKING_VALUE})
    return model


def main(argv):
    args = argv[1:]
    portable = "--portable" in args
    args = [a for a in args if a != "--portable"]
    if len(args) != 2 or args[0] in ("-h", "--help") or any(a.startswith("-") for a in args):
        print(__doc__.strip().split("\n\n")[0] + "\n\nusage: python hack/export-onnx.py [--portable] MODEL_DIR OUT_PATH",
              file=sys.stderr)
        return 2
    model_dir, out_path = args
    t0 = time.time()
    try:
        cfg = load_config(model_dir)
        st_path = os.path.join(model_dir, "model.safetensors")
        if not os.path.isfile(st_path):
            raise ExportError(f"{st_path} not found (only safetensors checkpoints are handled)")
        log(f"loading {st_path} ({os.path.getsize(st_path) / 1e6:.1f} MB)")
        st = SafeTensors(st_path)
        w = Weights(st)
        log(f"config: bert, {cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}, "
            f"{cfg['num_attention_heads']} heads, intermediate {cfg['intermediate_size']}, "
            f"act {cfg.get('hidden_act', 'gelu')}, weight prefix {w.prefix or '(none)'!r}")
        log(f"building the {'portable' if portable else 'packed'} graph (opset {OPSET if portable else PACKED_OPSET})")
        model = build_model(cfg, w) if portable else build_packed_model(cfg, w)
        log(f"checking graph: {len(model.graph.node)} nodes, {len(model.graph.initializer)} initializers")
        # Strict shape inference knows only standard ops; the packed graph's contrib ops are
        # checked by ONNX Runtime when a session loads it.
        onnx.checker.check_model(model, full_check=portable)
        out_dir = os.path.dirname(os.path.abspath(out_path))
        os.makedirs(out_dir, exist_ok=True)
        log(f"writing {out_path}")
        onnx.save_model(model, out_path)
    except ExportError as e:
        print(f"export-onnx: error: {e}", file=sys.stderr)
        return 1
    except onnx.checker.ValidationError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else "validation failed"
        print(f"export-onnx: error: onnx.checker rejected the graph: {first}", file=sys.stderr)
        return 1
    log(f"done: {out_path} ({os.path.getsize(out_path) / 1e6:.1f} MB) in {time.time() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
