"""BERT's uncased WordPiece tokenizer, as the model's ``tokenizer.json`` specifies it, in plain Python.

The model only means what it learned if it sees the word pieces it was trained on, so every step copies
the Hugging Face ``tokenizers`` pipeline that ``tokenizer.json`` names, in its order:

1. special tokens written in the text (``[SEP]``, ``[MASK]`` …) are matched first, as they are written;
2. ``BertNormalizer``: drop NUL, U+FFFD and control/format/unassigned/private characters, turn whitespace
   into spaces, put spaces around CJK ideographs, strip accents (NFD, then drop non-spacing marks), then
   lower-case each character on its own (no final-sigma rule: ``tokenizers`` maps character by character);
3. ``BertPreTokenizer``: split on whitespace, then make every punctuation character a word of its own;
4. ``WordPiece``: greedy longest match from the left, continuations prefixed ``##``, a word longer than
   ``max_input_chars_per_word`` characters or with a piece missing from the vocabulary becomes ``[UNK]``;
5. ``[CLS]`` … ``[SEP]`` around the pieces, truncated to ``max_length`` ids in all.

Python's ``unicodedata`` may be a newer Unicode than the Rust tables of ``tokenizers``: a character
assigned in between can differ (kept here, dropped there); see benchmarks/meaning_reference.py.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

#: What the model was trained with (sentence-transformers' ``max_seq_length``), [CLS] and [SEP] included.
MAX_LENGTH = 256

_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_SPECIAL = re.compile("|".join(re.escape(s) for s in _SPECIALS))
#: The CJK Unified Ideograph blocks of ``tokenizers``' ``is_chinese_char`` (its 0x2B920 start included).
_CJK = (
    (0x4E00, 0x9FFF),
    (0x3400, 0x4DBF),
    (0x20000, 0x2A6DF),
    (0x2A700, 0x2B73F),
    (0x2B740, 0x2B81F),
    (0x2B920, 0x2CEAF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
)
#: Characters kept as they are by the normaliser when the text is plain ASCII (the fast path).
_ASCII_CONTROL = {c: None for c in (*range(0, 9), 11, 12, *range(14, 32), 127)} | {9: 32, 10: 32, 13: 32}
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


class WordPiece:
    """Text to model ids. Built from ``tokenizer.json``; raises ``ValueError`` if that file asks for a
    pipeline other than the one implemented here (a different model would silently mean nonsense)."""

    def __init__(self, tokenizer_json: Path, max_length: int = MAX_LENGTH):
        spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
        _check(spec)
        model = spec["model"]
        self.vocab: dict[str, int] = model["vocab"]
        self.max_word = int(model["max_input_chars_per_word"])
        self.prefix = str(model["continuing_subword_prefix"])
        self.unk = self.vocab[model["unk_token"]]
        self.cls = self.vocab["[CLS]"]
        self.sep = self.vocab["[SEP]"]
        self.max_length = max_length
        self._pieces: dict[str, list[int]] = {}
        self._chars: dict[str, str] = {}

    def encode(self, text: str) -> list[int]:
        """``[CLS]``, the word pieces of ``text`` (at most ``max_length - 2``), ``[SEP]``."""
        room = self.max_length - 2
        ids: list[int] = []
        for word in self.words(text):
            special = self.vocab.get(word) if word in _SPECIALS else None
            ids.extend(self.pieces(word) if special is None else (special,))
            if len(ids) >= room:
                break
        return [self.cls, *ids[:room], self.sep]

    def words(self, text: str) -> Iterator[str]:
        """The pre-tokenized words of ``text``: special tokens whole, the rest normalised and split."""
        start = 0
        for match in _SPECIAL.finditer(text):
            yield from self._split(self.normalize(text[start : match.start()]))
            yield match.group()
            start = match.end()
        yield from self._split(self.normalize(text[start:]))

    def normalize(self, text: str) -> str:
        """``BertNormalizer`` with clean_text, handle_chinese_chars, strip_accents and lowercase."""
        if text.isascii():
            return text.translate(_ASCII_CONTROL).lower()
        chars = self._chars
        out = []
        for ch in text:
            got = chars.get(ch)
            if got is None:
                got = chars[ch] = _normalize_char(ch)
            out.append(got)
        return "".join(out)

    def pieces(self, word: str) -> list[int]:
        """The ids of one pre-tokenized word (remembered: words repeat)."""
        got = self._pieces.get(word)
        if got is None:
            got = self._wordpiece(word)
            if len(self._pieces) < 500_000:
                self._pieces[word] = got
        return got

    def _wordpiece(self, word: str) -> list[int]:
        if len(word) > self.max_word:
            return [self.unk]
        vocab, found, start = self.vocab, [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                got = vocab.get(piece)
                if got is not None:
                    found.append(got)
                    break
                end -= 1
            else:
                return [self.unk]
            start = end
        return found

    @staticmethod
    def _split(text: str) -> Iterator[str]:
        """``BertPreTokenizer``: whitespace-separated chunks, each punctuation character its own word."""
        for chunk in text.split():
            if chunk.isalnum():
                yield chunk
                continue
            start = 0
            for i, ch in enumerate(chunk):
                if _is_punctuation(ch):
                    if i > start:
                        yield chunk[start:i]
                    yield ch
                    start = i + 1
            if start < len(chunk):
                yield chunk[start:]


def _normalize_char(ch: str) -> str:
    """One character through ``BertNormalizer``: the empty string, a space, or what it stands for."""
    if ch in "\t\n\r" or ch.isspace() and unicodedata.category(ch)[0] != "C":
        return " "
    category = unicodedata.category(ch)
    if ch == "\ufffd" or category[0] == "C" and category != "Cn":
        return ""
    stripped = "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.category(c) != "Mn")
    lowered = "".join(c.lower() for c in stripped)
    code = ord(ch)
    return f" {lowered} " if any(low <= code <= high for low, high in _CJK) else lowered


def _is_punctuation(ch: str) -> bool:
    return ch in _ASCII_PUNCT or unicodedata.category(ch)[0] == "P"


def _check(spec: dict) -> None:
    """The parts of ``tokenizer.json`` this module implements, as they must be; anything else is refused."""
    normalizer, model = spec.get("normalizer") or {}, spec.get("model") or {}
    wanted = {
        "normalizer": normalizer.get("type") == "BertNormalizer"
        and normalizer.get("clean_text") is True
        and normalizer.get("handle_chinese_chars") is True
        and normalizer.get("strip_accents") in (None, True)
        and normalizer.get("lowercase") is True,
        "pre_tokenizer": (spec.get("pre_tokenizer") or {}).get("type") == "BertPreTokenizer",
        "model": model.get("type") == "WordPiece" and all(s in model.get("vocab", {}) for s in _SPECIALS),
    }
    wrong = [name for name, ok in wanted.items() if not ok]
    if wrong:
        raise ValueError(f"tokenizer.json has an unexpected {', '.join(wrong)}")
