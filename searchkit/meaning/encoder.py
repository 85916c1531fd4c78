"""all-MiniLM-L6-v2 in numpy: the 6-layer BERT forward pass, mean pooling and L2 normalisation.

It reproduces sentence-transformers' vectors for the model (cosine >= 0.99999, tests/test_meaning.py)
without PyTorch. Speed comes from few, large BLAS calls, from not touching memory twice, and from
using the cores for whole batches rather than inside each product:

* the weights are read straight from the memory-mapped ``model.safetensors`` (no copy of its 90 MB) and
  used as ``x @ W.T`` (BLAS reads the transposed view as it is);
* the hidden states stay one contiguous ``(tokens, 384)`` matrix, so every dense layer is one GEMM;
  only attention splits it into heads, made contiguous before its stacked matmuls (numpy hands a stack
  to BLAS only when each slice is);
* texts are batched by length, so padding costs little, and batches run in a pool of threads, one per
  core, each with one BLAS thread (``threads.py`` says why);
* GELU (exact, with erf), softmax and layer norm work in place, on blocks of rows that stay in cache.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .threads import one_blas_thread, workers
from .wordpiece import WordPiece

HIDDEN = 384
HEADS = 12
LAYERS = 6
EPSILON = 1e-12
#: Tokens per batch: long enough for efficient GEMMs, short enough for the attention scores
#: (batch x 12 x length x length floats) and the 1536-wide intermediate to stay small.
BATCH_TOKENS = 2048
#: Rows of the feed-forward block computed at once (its 1536-wide GELU input stays in the L2 cache).
FFN_ROWS = 256

_F32 = np.float32
_DTYPES = {name: np.dtype(code) for name, code in (("F32", "<f4"), ("F16", "<f2"), ("I64", "<i8"), ("I32", "<i4"))}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a ``.safetensors`` file as read-only views of the memory-mapped file.

    The format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape
    and byte range, then the raw little-endian data. Other types than float32 are read too (the model
    holds int64 position ids it does not need)."""
    data = np.memmap(path, dtype=np.uint8, mode="r")
    (size,) = struct.unpack("<Q", data[:8].tobytes())
    header = json.loads(data[8 : 8 + size].tobytes())
    base = 8 + size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _DTYPES.get(info["dtype"])
        if dtype is None:
            raise ValueError(f"{path.name}: tensor {name} has the unknown type {info['dtype']}")
        start, end = info["data_offsets"]
        count = (end - start) // dtype.itemsize
        tensors[name] = np.frombuffer(data, dtype, count, base + start).reshape(info["shape"])
    return tensors


class Encoder:
    """Texts to unit-length 384-dimensional sentence vectors."""

    def __init__(self, model_dir: Path):
        tensors = read_safetensors(model_dir / "model.safetensors")
        self.weights = {name.removeprefix("bert."): array for name, array in tensors.items()}
        self.tokenizer = WordPiece(model_dir / "tokenizer.json")

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), 384)`` float32 rows of unit length, in the order of ``texts``."""
        ids = [self.tokenizer.encode(text) for text in texts]
        out = np.empty((len(ids), HIDDEN), dtype=_F32)

        def run(batch: list[int]) -> None:
            tokens = np.zeros((len(batch), len(ids[batch[-1]])), dtype=np.intp)
            for row, index in enumerate(batch):
                tokens[row, : len(ids[index])] = ids[index]
            with one_blas_thread():
                out[batch] = self.forward(tokens, [len(ids[index]) for index in batch])

        todo = batches([len(i) for i in ids], BATCH_TOKENS)[::-1]  # longest first: the threads finish together
        if len(todo) > 1 and workers() > 1:
            with ThreadPoolExecutor(min(workers(), len(todo))) as pool:
                list(pool.map(run, todo))
        else:
            for batch in todo:
                run(batch)
        return out

    def forward(self, tokens: np.ndarray, lengths: Sequence[int]) -> np.ndarray:
        """The pooled, normalised vectors of a ``(batch, length)`` array of ids, row ``i`` holding
        ``lengths[i]`` real tokens followed by padding."""
        w = self.weights
        batch, length = tokens.shape
        x = w["embeddings.word_embeddings.weight"][tokens.reshape(-1)].reshape(batch, length, HIDDEN)
        x += w["embeddings.position_embeddings.weight"][:length]
        x += w["embeddings.token_type_embeddings.weight"][0]
        x = x.reshape(batch * length, HIDDEN)
        _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        pad = np.arange(length)[None, :] >= np.asarray(lengths)[:, None]
        bias = np.where(pad, _F32(np.finfo(_F32).min), _F32(0))[:, None, None, :] if pad.any() else None
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."
            x += self._attention(x, p + "attention.", batch, length, bias)
            _layer_norm(x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            x += self._feed_forward(x, p)
            _layer_norm(x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        x = x.reshape(batch, length, HIDDEN)
        x[pad] = 0
        pooled = x.sum(axis=1) / np.asarray(lengths, dtype=_F32)[:, None]
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), _F32(EPSILON))
        return pooled

    def _dense(self, x: np.ndarray, name: str, out: np.ndarray | None = None) -> np.ndarray:
        got = np.matmul(x, self.weights[name + ".weight"].T, out=out)
        got += self.weights[name + ".bias"]
        return got

    def _attention(self, x: np.ndarray, p: str, batch: int, length: int, bias: np.ndarray | None) -> np.ndarray:
        head = HIDDEN // HEADS

        def heads(name: str, axes: tuple[int, ...]) -> np.ndarray:
            y = self._dense(x, p + "self." + name).reshape(batch, length, HEADS, head)
            return np.ascontiguousarray(y.transpose(axes))

        # queries and keys as (batch, head, 32, length): with one BLAS thread as fast as (length, 32)
        # slices times transposed ones, and where OpenBLAS runs its own threads (no per-thread setting)
        # many times as fast on a busy machine (46 against 757 ms for 16 x 256 tokens)
        q, k = heads("query", (0, 2, 3, 1)), heads("key", (0, 2, 3, 1))
        v = heads("value", (0, 2, 1, 3))
        q *= _F32(1 / math.sqrt(head))
        scores = q.transpose(0, 1, 3, 2) @ k
        if bias is not None:  # padding: no attention to it
            scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        total = scores.sum(axis=-1, keepdims=True)
        scores *= np.reciprocal(total, out=total)
        context = np.ascontiguousarray((scores @ v).transpose(0, 2, 1, 3)).reshape(batch * length, HIDDEN)
        return self._dense(context, p + "output.dense")

    def _feed_forward(self, x: np.ndarray, p: str) -> np.ndarray:
        out = np.empty_like(x)
        inner = np.empty((min(FFN_ROWS, len(x)), self.weights[p + "intermediate.dense.weight"].shape[0]), _F32)
        scratch = [np.empty_like(inner) for _ in range(3)]
        for start in range(0, len(x), FFN_ROWS):
            rows = slice(start, start + FFN_ROWS)
            n = len(x[rows])
            h = self._dense(x[rows], p + "intermediate.dense", out=inner[:n])
            gelu(h, *(s[:n] for s in scratch))
            self._dense(h, p + "output.dense", out=out[rows])
        return out


def batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Indexes of ``lengths`` grouped into batches of similar length (padded size at most ``budget``
    tokens, or one text), shortest first, so little of each batch is padding."""
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    groups: list[list[int]] = []
    for index in order:
        if groups and (len(groups[-1]) + 1) * lengths[index] <= budget:
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> None:
    """Layer normalisation of each row of ``x``, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var /= _F32(x.shape[-1])
    var += _F32(EPSILON)
    np.sqrt(var, out=var)
    x /= var
    x *= gain
    x += bias


# erfc(z) ~ t * P(t) * exp(-z^2), t = 1 / (1 + c z), z >= 0: Abramowitz and Stegun 7.1.26 (|error| <= 1.5e-7).
_C = 0.3275911
_P = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def gelu(x: np.ndarray, a: np.ndarray, t: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """``x * Phi(x)`` (BERT's exact GELU) in place; ``a``, ``t`` and ``poly`` are scratch of x's shape.

    Written as ``max(x, 0) - |x|/2 * erfc(|x|/sqrt(2))``, one formula for both signs."""
    np.abs(x, out=a)
    np.multiply(a, _F32(_C / math.sqrt(2)), out=t)
    t += _F32(1)
    np.reciprocal(t, out=t)
    np.multiply(t, _F32(_P[0]), out=poly)
    for coefficient in _P[1:]:
        poly += _F32(coefficient)
        poly *= t
    np.square(a, out=t)
    t *= _F32(-0.5)
    np.exp(t, out=t)
    poly *= t
    poly *= a
    poly *= _F32(0.5)
    np.maximum(x, _F32(0), out=x)
    x -= poly
    return x
