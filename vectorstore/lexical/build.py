"""Building the BM25 fields from the stored chunk terms in one streaming pass, in compact integer arrays.

Why not lists of term strings per document: at 100k chunks that held 24 M Python strings and peaked at
5.3 GB inside the app process (bench/scale.py). Here every term becomes an integer id as it is read;
the folded field is the exact counts with each vocabulary entry folded once and columns merged, the
article field is the chunk counts summed per article, and the article bigram field is counted per chunk
as it streams. Peak memory is a few integer arrays, about a fifth of the old build.
"""

from __future__ import annotations

import itertools
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ingest.vietnamese_text import fold_accents

K1 = 1.2
B = 0.75


def bm25_matrix(
    rows: np.ndarray,
    cols: np.ndarray,
    counts: np.ndarray,
    lengths: np.ndarray,
    shape: tuple[int, int],
    k1: float = K1,
    b: float = B,
) -> sparse.csc_matrix:
    """BM25 weight of every (document, term) pair with a count, as a column-sliceable matrix."""
    n_docs = shape[0]
    df = np.bincount(cols, minlength=shape[1]).astype(np.float32)
    idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
    avg_length = float(lengths.mean()) if n_docs else 1.0
    norm = k1 * (1 - b + b * lengths[rows] / max(avg_length, 1.0))
    tf = counts.astype(np.float32)
    weights = idf[cols] * tf * (k1 + 1) / (tf + norm)
    return sparse.csc_matrix((weights.astype(np.float32), (rows, cols)), shape=shape)


def _merged(
    rows: np.ndarray, cols: np.ndarray, counts: np.ndarray, shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The same (row, col) pairs with their counts summed (after columns or rows were mapped)."""
    merged = sparse.coo_matrix((counts, (rows, cols)), shape=shape).tocsr()
    merged.sum_duplicates()
    coo = merged.tocoo()
    return coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data


@dataclass
class FieldData:
    vocabulary: dict[str, int]
    matrix: sparse.csc_matrix


@dataclass
class BuiltFields:
    chunk_ids: list[str]
    article_ids: list[str]
    date_ints: np.ndarray
    article_row: np.ndarray
    exact: FieldData
    folded: FieldData
    article_exact: FieldData
    article_bigrams: FieldData


def build_fields(chunks: Iterable[tuple[str, str, str, int]]) -> BuiltFields:
    """Fields from `(chunk id, article id, space-joined exact terms, date_int)` rows."""
    vocabulary: dict[str, int] = {}
    folded_vocabulary: dict[str, int] = {}
    fold_of = array("i")  # exact term id -> folded term id
    rows, cols, counts = array("i"), array("i"), array("i")
    lengths = array("f")
    bigram_vocabulary: dict[tuple[int, int], int] = {}
    bigram_rows, bigram_cols, bigram_counts = array("i"), array("i"), array("i")
    chunk_ids: list[str] = []
    article_ids: list[str] = []
    date_ints = array("q")
    article_index: dict[str, int] = {}
    article_row = array("i")
    for row, (chunk_id, article_id, joined_terms, date_int) in enumerate(chunks):
        terms = joined_terms.split()
        chunk_ids.append(chunk_id)
        article_ids.append(article_id)
        date_ints.append(int(date_int))
        lengths.append(len(terms))
        article = article_index.setdefault(article_id, len(article_index))
        article_row.append(article)
        for term, count in Counter(terms).items():
            column = vocabulary.get(term)
            if column is None:
                column = vocabulary[term] = len(vocabulary)
                fold_of.append(folded_vocabulary.setdefault(fold_accents(term), len(folded_vocabulary)))
            rows.append(row)
            cols.append(column)
            counts.append(count)
        syllables = [fold_of[vocabulary[t]] for t in terms if "_" not in t]
        for pair, count in Counter(itertools.pairwise(syllables)).items():
            bigram_rows.append(article)
            bigram_cols.append(bigram_vocabulary.setdefault(pair, len(bigram_vocabulary)))
            bigram_counts.append(count)

    n_docs, n_articles = len(chunk_ids), len(article_index)
    row_a, col_a, count_a = (np.frombuffer(a, dtype=np.int32).astype(np.int64) for a in (rows, cols, counts))
    length_a = np.frombuffer(lengths, dtype=np.float32)
    article_a = np.frombuffer(article_row, dtype=np.int32).astype(np.int64)
    exact = bm25_matrix(row_a, col_a, count_a, length_a, (n_docs, len(vocabulary)))
    fold_a = np.frombuffer(fold_of, dtype=np.int32).astype(np.int64)
    shape = (n_docs, len(folded_vocabulary))
    folded = bm25_matrix(*_merged(row_a, fold_a[col_a], count_a, shape), length_a, shape)
    article_lengths = np.bincount(article_a, weights=length_a, minlength=n_articles).astype(np.float32)
    shape = (n_articles, len(vocabulary))
    article_exact = bm25_matrix(*_merged(article_a[row_a], col_a, count_a, shape), article_lengths, shape)
    del row_a, col_a, count_a
    b_rows, b_cols, b_counts = (
        np.frombuffer(a, dtype=np.int32).astype(np.int64) for a in (bigram_rows, bigram_cols, bigram_counts)
    )
    shape = (n_articles, len(bigram_vocabulary))
    b_rows, b_cols, b_counts = _merged(b_rows, b_cols, b_counts, shape)
    bigram_lengths = np.bincount(b_rows, weights=b_counts, minlength=n_articles).astype(np.float32)
    folded_terms = list(folded_vocabulary)
    bigram_names = {f"{folded_terms[a]}~{folded_terms[b]}": i for (a, b), i in bigram_vocabulary.items()}
    return BuiltFields(
        chunk_ids,
        article_ids,
        np.frombuffer(date_ints, dtype=np.int64).copy(),
        article_a,
        FieldData(vocabulary, exact),
        FieldData(folded_vocabulary, folded),
        FieldData(vocabulary, article_exact),
        FieldData(bigram_names, bm25_matrix(b_rows, b_cols, b_counts, bigram_lengths, shape)),
    )
