"""Put the diacritics back on questions typed without them ("hoi nghi doi ngoai" -> "hội nghị đối ngoại").

Staff often type on keyboards without a Vietnamese input method, or drop the marks to save time. The
archive keeps its text with diacritics, so an unaccented question matches it only through the folded
lexical index, and the embedding model understands it far worse. Restoring the marks first lets every
retriever see the question as it was meant.

The model is learned from the archive's own text, so it knows the archive's vocabulary and names:
- every lower-cased `word_tokens` syllable seen, counted; grouped by folded form they are the candidates
  for a typed syllable;
- syllable bigram and trigram counts (all numbers count as one word) for a Witten-Bell interpolated
  language model, with the number of distinct followers of each history.

Decoding is a beam-limited second-order Viterbi over the candidates of each token (a state is the last
two syllables), so trigram context decides between "nhân dân" and "nhận dạng". Tokens typed with marks are
fixed, so mixed input such as "doi ngoai nhân dân" keeps what the user typed; unknown syllables, numbers
and punctuation stay as typed; casing and spacing of the original are kept.

N-grams are kept as space-joined strings ("nhân dân"): cheaper than tuples in memory, and a saved model
(gzip JSON of the counts; never pickle, a model file must not be able to run code) loads without
rebuilding keys.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

from ingest.vietnamese_text import fold_accents, has_diacritics, word_tokens
from vectorstore.diacritics.compact_counts import CompactCounts
from vectorstore.index_errors import IndexCorruptedError

logger = logging.getLogger(__name__)

FORMAT_NAME = "archive-assistant/diacritic-restorer"
FORMAT_VERSION = 1

_START = "<s>"
_END = "</s>"
_NUMBER = "<num>"
_DIGIT = re.compile(r"\d")
# Sentence-final punctuation (followed by a space or the end) and line breaks end an LM segment; inner
# dots of "4.0" or "TP.HCM" do not.
_SEGMENT_BREAK = re.compile(r"[.!?;:…]+(?=\s|$)|\n")
# A long text whose tokens are mostly plain ASCII is typed without diacritics (forum posts, English
# pages): learning from it would teach the model that "hoi" stays "hoi".
_MIN_TOKENS_FOR_ACCENT_CHECK = 30
_MIN_ACCENTED_SHARE = 0.2
# Candidates per typed syllable (most frequent first) and states kept per position: together they bound
# decoding time. Measured on ViNewsQA questions (bench/diacritics.py), 12/12 loses nothing against 12/all.
_MAX_CANDIDATES = 12
_BEAM_STATES = 12
# Only a question ending like a sentence is scored for how sentences end: a keyword fragment
# ("hoi nghi doi ngoai nhan dan") rarely ends where sentences do, and scoring it so costs accuracy.
_SENTENCE_END = re.compile(r"[.?!…]\W*$")

# (log probability, output syllables so far)
_Hypothesis = tuple[float, tuple[str, ...]]
# A hypothesis extended by one candidate syllable, before it is kept or dropped.
_Scored = tuple[float, tuple[str, ...], str]
_COUNT_TABLES = ("unigrams", "bigrams", "trigrams", "bigram_followers", "trigram_followers")
# Tables keyed by n-grams (millions of entries) that a read-only model keeps as `CompactCounts`; the
# two keyed by single syllables stay Counters (the candidate lists are derived from the unigrams).
_COMPACTED = ("bigrams", "trigrams", "trigram_followers")


class DiacriticModelCorruptedError(IndexCorruptedError):
    """The saved diacritic model cannot be read; rebuilding the index retrains it."""


class DiacriticRestorer:
    """Restores Vietnamese diacritics with a syllable trigram model learned from the archive."""

    def __init__(self) -> None:
        self._unigrams: Counter[str] = Counter()
        self._bigrams: Counter[str] | CompactCounts = Counter()
        self._trigrams: Counter[str] | CompactCounts = Counter()
        # Distinct followers of each history (Witten-Bell's T): stored, not derived, so they stay right
        # when rare n-grams are pruned on save.
        self._bigram_followers: Counter[str] = Counter()
        self._trigram_followers: Counter[str] | CompactCounts = Counter()
        self.read_only = False  # loaded with `read_only=True`: restores, cannot learn or be saved
        self._candidates: dict[str, list[str]] = {}  # folded syllable -> candidates; derived lazily
        self._unigram_denominator = 1.0
        self._derived_ready = False

    # ------------------------------------------------------------------ training
    @classmethod
    def train(cls, texts: Iterable[str]) -> DiacriticRestorer:
        """A new model learned from `texts` (NFC article bodies)."""
        restorer = cls()
        restorer.update(texts)
        return restorer

    def update(self, texts: Iterable[str]) -> None:
        """Add the counts of more texts (the archive is ingested in batches)."""
        own_bigrams, own_trigrams, own_followers = self._counters(
            "cannot learn; load it with read_only=False"
        )
        unigrams: Counter[str] = Counter()
        bigrams: Counter[str] = Counter()
        trigrams: Counter[str] = Counter()
        skipped = 0
        for text in texts:
            segments = [(segment, word_tokens(segment)) for segment in _SEGMENT_BREAK.split(text)]
            if not _is_accented_text([tokens for _, tokens in segments]):
                skipped += 1
                continue
            for segment, tokens in segments:
                if not tokens:
                    continue
                if _DIGIT.search(segment):
                    tokens = [_lm_token(token) for token in tokens]
                sequence = [_START, *tokens, _END]
                unigrams.update(sequence)
                bigrams.update(map(" ".join, pairwise(sequence)))
                trigrams.update(map(" ".join, zip(sequence, sequence[1:], sequence[2:], strict=False)))
        if skipped:
            logger.info("Diacritic model: skipped %d texts typed without diacritics", skipped)
        self._bigram_followers.update(_histories(bigrams.keys() - own_bigrams.keys()))
        own_followers.update(_histories(trigrams.keys() - own_trigrams.keys()))
        self._unigrams.update(unigrams)
        own_bigrams.update(bigrams)
        own_trigrams.update(trigrams)
        self._derived_ready = False

    def _counters(self, refusal: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
        """The bigram, trigram and trigram-follower tables as Counters; a model loaded read-only holds
        them as `CompactCounts`, which can neither learn nor be saved (`TypeError` saying `refusal`)."""
        bigrams, trigrams, followers = self._bigrams, self._trigrams, self._trigram_followers
        if self.read_only or not (
            isinstance(bigrams, Counter) and isinstance(trigrams, Counter) and isinstance(followers, Counter)
        ):
            raise TypeError(f"a read-only diacritic model {refusal}")
        return bigrams, trigrams, followers

    @property
    def syllable_count(self) -> int:
        """Tokens learned so far (segment markers excluded): a cheap measure of how much it has seen."""
        return self._unigrams.total() - self._unigrams[_START] - self._unigrams[_END]

    # ------------------------------------------------------------------ restoring
    def restore(self, text: str) -> str:
        """`text` with diacritics restored on the syllables typed without them."""
        return self.restore_candidates(text, n=1)[0]

    def restore_candidates(self, text: str, n: int = 3) -> list[str]:
        """Up to `n` distinct restorations, best first (the first is `restore(text)`)."""
        text = unicodedata.normalize("NFC", text)
        spans = _token_spans(text)
        if not spans:
            return [text]
        self._ensure_derived()
        options = [self._options(token) for _, _, token in spans]
        paths = self._decode(options, max(n, 1), complete=_SENTENCE_END.search(text) is not None)
        return [_replace_spans(text, spans, path) for path in paths]

    def _options(self, token: str) -> list[str]:
        """Candidate syllables for one lower-cased typed token; a single option means it is fixed."""
        if has_diacritics(token) or _DIGIT.search(token):
            return [token]
        return self._candidates.get(token, [token])

    def _decode(self, options: list[list[str]], n: int, complete: bool) -> list[list[str]]:
        """Second-order Viterbi over the candidates, keeping the `n` best paths per state.

        The trigram estimate is Witten-Bell interpolated with the bigram one, itself interpolated with
        an add-one unigram. The bigram part depends only on (previous, word): it is computed once per
        pair and shared by every state ending in `previous`. A `complete` sentence also scores the
        sentence end after its last syllable.
        """
        bigram_probs: dict[str, float] = {}
        states: dict[tuple[str, str], list[_Hypothesis]] = {(_START, _START): [(0.0, ())]}
        for candidates in [*options, [_END]] if complete else options:
            words = [(candidate, _lm_token(candidate)) for candidate in candidates]
            buckets: dict[tuple[str, str], list[_Scored]] = {}
            for (before, previous), hypotheses in states.items():
                pair = f"{before} {previous}"
                # A history never followed by anything kept (pruned on save) falls back to the bigram.
                followers = self._trigram_followers.get(pair, 0)
                pair_history = self._bigrams.get(pair, 0) if followers else 0
                for candidate, word in words:
                    bigram = f"{previous} {word}"
                    probability = bigram_probs.get(bigram)
                    if probability is None:
                        probability = bigram_probs[bigram] = self._bigram_prob(previous, word, bigram)
                    if pair_history:
                        count = self._trigrams.get(f"{pair} {word}", 0)
                        probability = (count + followers * probability) / (pair_history + followers)
                    step = math.log(probability)
                    bucket = buckets.get((previous, word))
                    if bucket is None:
                        bucket = buckets[(previous, word)] = []
                    for score, path in hypotheses:
                        bucket.append((score + step, path, candidate))
            states = {
                key: [(score, (*path, candidate)) for score, path, candidate in top]
                for key, top in _best_states(buckets, n)
            }
        finals = sorted((hypothesis for top in states.values() for hypothesis in top), reverse=True)
        return [list(path[: len(options)]) for _, path in finals[:n]]

    def _bigram_prob(self, previous: str, word: str, bigram: str) -> float:
        """P(word | previous), Witten-Bell interpolated with an add-one unigram."""
        probability = (self._unigrams.get(word, 0) + 1) / self._unigram_denominator
        followers = self._bigram_followers.get(previous, 0)
        history = self._unigrams.get(previous, 0) if followers else 0
        if history:
            count = self._bigrams.get(bigram, 0)
            probability = (count + followers * probability) / (history + followers)
        return probability

    def _ensure_derived(self) -> None:
        """Rebuild the candidate lists from the unigram counts when they changed."""
        if self._derived_ready:
            return
        grouped: dict[str, list[tuple[int, str]]] = {}
        for syllable, count in self._unigrams.items():
            if syllable not in (_START, _END, _NUMBER):
                grouped.setdefault(fold_accents(syllable), []).append((-count, syllable))
        self._candidates = {
            folded: [syllable for _, syllable in sorted(entries)[:_MAX_CANDIDATES]]
            for folded, entries in grouped.items()
        }
        self._unigram_denominator = float(self._unigrams.total() + len(self._unigrams) + 1)
        self._derived_ready = True

    # ------------------------------------------------------------------ persistence
    def save(self, path: Path, min_count: int = 1) -> None:
        """Write the counts as gzip JSON, atomically (a crash never leaves half a model behind).

        `min_count=2` drops bigrams and trigrams seen once: trained on 9.4M syllables, the file shrinks
        about three times and loads about three times faster for 0.2 point of syllable accuracy
        (bench/diacritics.py). Only for a copy that is no longer updated:
        counts dropped here are lost to later `update` calls, so a model fed many small batches and
        pruned at each save would never learn a trigram.
        """
        own_bigrams, own_trigrams, trigram_followers = self._counters("has no n-gram keys left to save")
        bigrams = {key: count for key, count in own_bigrams.items() if count >= min_count}
        payload = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "unigrams": self._unigrams,
            "bigrams": bigrams,
            "trigrams": {key: count for key, count in own_trigrams.items() if count >= min_count},
            "bigram_followers": self._bigram_followers,
            "trigram_followers": {key: count for key, count in trigram_followers.items() if key in bigrams},
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        # dumps then one write: json.dump streams through the slow pure-Python encoder.
        encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        # Level 3: a third of level 6's time for a file 15 % larger; saves follow every ingested batch.
        partial.write_bytes(gzip.compress(encoded, compresslevel=3))
        partial.replace(path)

    @classmethod
    def load(cls, path: Path, read_only: bool = False) -> DiacriticRestorer:
        """Read a model written by `save`; a damaged file raises `DiacriticModelCorruptedError`.

        `read_only=True` keeps the n-gram tables as `CompactCounts` (about a tenth of the memory, same
        restorations) for a process that only answers questions."""
        try:
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                payload = json.load(handle)
        except FileNotFoundError:
            raise
        except (OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DiacriticModelCorruptedError(
                path, f"mô hình khôi phục dấu không phải tệp JSON nén gzip đọc được ({type(error).__name__})"
            ) from error
        try:
            tables = _checked_tables(payload, compact=_COMPACTED if read_only else ())
        except ValueError as error:
            raise DiacriticModelCorruptedError(
                path, f"mô hình khôi phục dấu có nội dung không hợp lệ: {error}"
            ) from error
        restorer = cls()
        restorer._unigrams, restorer._bigrams, restorer._trigrams = tables[:3]
        restorer._bigram_followers, restorer._trigram_followers = tables[3:]
        restorer.read_only = read_only
        return restorer


def _checked_tables(payload: object, compact: tuple[str, ...] = ()) -> list[Any]:
    """The count tables of a loaded payload, in `_COUNT_TABLES` order, after checking their shape;
    those named in `compact` as `CompactCounts`, the others as Counters."""
    if not isinstance(payload, dict):
        raise ValueError("không phải một đối tượng JSON")
    if payload.get("format") != FORMAT_NAME or payload.get("version") != FORMAT_VERSION:
        raise ValueError(f"định dạng lạ {payload.get('format')!r}, phiên bản {payload.get('version')!r}")
    tables: list[Any] = []
    for name in _COUNT_TABLES:
        table = payload.get(name)
        if not isinstance(table, dict):
            raise ValueError(f"thiếu bảng {name}")
        if not all(type(count) is int and count > 0 for count in table.values()):
            raise ValueError(f"bảng {name} có số đếm không phải số nguyên dương")
        tables.append(CompactCounts(table) if name in compact else Counter(table))
        payload[name] = None  # free the parsed dict before the next table is copied
    return tables


def _histories(ngrams: Iterable[str]) -> Iterable[str]:
    """The history (all but the last word) of each space-joined n-gram."""
    return (ngram.rpartition(" ")[0] for ngram in ngrams)


def _lm_token(token: str) -> str:
    """The language model's view of a token: every number is one word."""
    return _NUMBER if _DIGIT.search(token) else token


def _is_accented_text(segments: list[list[str]]) -> bool:
    """False for a long text written mostly without diacritics (see `_MIN_ACCENTED_SHARE`).

    Counting non-ASCII tokens is a cheap stand-in for `has_diacritics` (which would double training
    time) and gives the same answer on Vietnamese and English text."""
    total = accented = 0
    for tokens in segments:
        total += len(tokens)
        accented += sum(1 for token in tokens if not token.isascii())
    return total < _MIN_TOKENS_FOR_ACCENT_CHECK or accented >= _MIN_ACCENTED_SHARE * total


def _best_states(
    buckets: dict[tuple[str, str], list[_Scored]], n: int
) -> list[tuple[tuple[str, str], list[_Scored]]]:
    """The `_BEAM_STATES` most promising states, each with its `n` best hypotheses, best first."""
    ranked: list[tuple[float, tuple[str, str], list[_Scored]]] = []
    for key, bucket in buckets.items():
        top = [max(bucket, key=_score)] if n == 1 else sorted(bucket, key=_score, reverse=True)[:n]
        ranked.append((top[0][0], key, top))
    ranked.sort(key=_score, reverse=True)
    return [(key, top) for _, key, top in ranked[:_BEAM_STATES]]


def _score(hypothesis: tuple[float, object, object]) -> float:
    return hypothesis[0]


def _token_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-cased token) of each `word_tokens` token, located in the original text."""
    lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    spans: list[tuple[int, int, str]] = []
    cursor = 0
    for token in word_tokens(text):
        start = lowered.find(token, cursor)
        if start < 0:  # lower() changed the length of a character in it: leave that token alone
            continue
        spans.append((start, start + len(token), token))
        cursor = start + len(token)
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int, str]], restored: list[str]) -> str:
    """`text` with each span replaced by its restored syllable, everything between kept as typed."""
    pieces: list[str] = []
    cursor = 0
    for (start, end, _), syllable in zip(spans, restored, strict=True):
        pieces.append(text[cursor:start])
        pieces.append(_with_casing_of(text[start:end], syllable))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _with_casing_of(typed: str, restored: str) -> str:
    """`restored` (lower case) with upper-case letters where `typed` had them ("HA NOI" -> "HÀ NỘI")."""
    if len(typed) != len(restored):
        return typed
    return "".join(r.upper() if t.isupper() else r for t, r in zip(typed, restored, strict=True))
