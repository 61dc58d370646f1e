"""Checks the HNSW files of a Chroma vector segment before Chroma loads them.

Why this exists: Chroma trusts these files completely. Measured with chromadb 1.5.9 (hnswlib persistence
version 1): a truncated `header.bin` or garbage in `data_level0.bin` kills the whole process with a
segmentation fault on the first query, which no `except` can catch; a truncated `data_level0.bin` or a
missing `index_metadata.pickle` is not reported at all — Chroma then quietly searches a fraction of the
vectors. So the layout is verified here: header fields against each other, file sizes against the header,
every graph link pointing at an existing element, labels unique, vectors finite. It reads the files once
with numpy in blocks; Chroma reads all of them into memory on its first query anyway.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HEADER = struct.Struct("<i6QiI3QdQ")  # hnswlib persistHeader(), PERSISTENCE_VERSION 1: 100 bytes
PERSISTENCE_VERSION = 1
FILES = ("header.bin", "data_level0.bin", "length.bin", "link_lists.bin", "index_metadata.pickle")
_BLOCK_ROWS = 8192


class HnswDamage(Exception):
    """One damaged file of a segment, with a Vietnamese description."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = path
        self.detail = detail


@dataclass(frozen=True)
class HnswHeader:
    version: int
    offset_level0: int
    max_elements: int
    count: int
    element_size: int
    label_offset: int
    data_offset: int
    max_level: int
    entry_point: int
    max_m: int
    max_m0: int
    m: int
    mult: float
    ef_construction: int

    @property
    def upper_block_size(self) -> int:
        """Bytes of one upper-level link list: a count word and `max_m` neighbour ids."""
        return 4 + 4 * self.max_m


def check_segment(folder: Path) -> None:
    """Raise `HnswDamage` for the first damaged file of the persisted segment in `folder`."""
    for name in FILES:
        if not (folder / name).is_file():
            raise HnswDamage(folder / name, "thiếu tệp của chỉ mục HNSW")
    header = read_header(folder / "header.bin")
    _check_sizes(folder, header)
    _check_level0(folder / "data_level0.bin", header)
    _check_upper_levels(folder / "link_lists.bin", header)


def read_header(path: Path) -> HnswHeader:
    raw = path.read_bytes()
    if len(raw) != HEADER.size:
        raise HnswDamage(path, f"phần đầu dài {len(raw)} byte, đúng ra phải {HEADER.size} byte")
    header = HnswHeader(*HEADER.unpack(raw))
    problem = _header_problem(header)
    if problem:
        raise HnswDamage(path, problem)
    return header


def _header_problem(h: HnswHeader) -> str | None:
    if h.version != PERSISTENCE_VERSION:
        return f"phiên bản định dạng {h.version} không đọc được"
    if h.offset_level0 != 0 or not 2 <= h.m <= 4096 or h.max_m < h.m or h.max_m0 < h.max_m:
        return "tham số đồ thị không hợp lệ"
    if h.data_offset != 4 + 4 * h.max_m0 or h.label_offset <= h.data_offset:
        return "vị trí dữ liệu trong phần tử không hợp lệ"
    if (h.label_offset - h.data_offset) % 4 or h.element_size != h.label_offset + 8:
        return "kích thước phần tử không hợp lệ"
    if h.count > h.max_elements or not math.isfinite(h.mult) or h.mult <= 0:
        return f"số phần tử {h.count} vượt sức chứa {h.max_elements}"
    if h.count and (h.entry_point >= h.count or not 0 <= h.max_level < 64):
        return "điểm vào của đồ thị nằm ngoài chỉ mục"
    return None


def _check_sizes(folder: Path, h: HnswHeader) -> None:
    needed = {"data_level0.bin": h.count * h.element_size, "length.bin": h.count * 4}
    for name, size in needed.items():
        actual = (folder / name).stat().st_size
        if actual < size:
            raise HnswDamage(folder / name, f"tệp bị cắt cụt: {actual} byte, cần ít nhất {size} byte")


def _check_level0(path: Path, h: HnswHeader) -> None:
    """Level-0 links, labels and vectors of every element, in blocks to bound memory."""
    if h.count == 0:
        return
    data = np.memmap(path, dtype=np.uint8, mode="r", shape=(h.count, h.element_size))
    labels = np.empty(h.count, dtype=np.uint64)
    for start in range(0, h.count, _BLOCK_ROWS):
        rows = data[start : start + _BLOCK_ROWS]
        links = np.ascontiguousarray(rows[:, : h.data_offset]).view("<u4")
        counts = links[:, 0] & 0xFFFF  # the low 16 bits count links; the next byte is the delete mark
        if (counts > h.max_m0).any():
            raise HnswDamage(path, "danh sách liên kết tầng 0 dài quá mức cho phép")
        used = np.arange(h.max_m0)[None, :] < counts[:, None]
        if (links[:, 1:][used] >= h.count).any():
            raise HnswDamage(path, "liên kết tầng 0 trỏ tới phần tử không tồn tại")
        vectors = np.ascontiguousarray(rows[:, h.data_offset : h.label_offset]).view("<f4")
        if not np.isfinite(vectors).all():
            raise HnswDamage(path, "vector chứa giá trị không hợp lệ (NaN hoặc vô cực)")
        labels[start : start + len(rows)] = np.ascontiguousarray(rows[:, h.label_offset :]).view("<u8")[:, 0]
    if len(np.unique(labels)) != h.count:
        raise HnswDamage(path, "nhãn phần tử bị trùng")
    del data


def _check_upper_levels(path: Path, h: HnswHeader) -> None:
    """`link_lists.bin`: per element, a byte count then that many bytes of upper-level link lists."""
    raw = path.read_bytes()
    offset = 0
    blocks: list[bytes] = []
    size_of = struct.Struct("<I").unpack_from
    for _ in range(h.count):
        if offset + 4 > len(raw):
            raise HnswDamage(path, "tệp liên kết tầng trên bị cắt cụt")
        (size,) = size_of(raw, offset)
        offset += 4
        if size:
            if size % h.upper_block_size or size // h.upper_block_size > h.max_level:
                raise HnswDamage(path, "độ dài danh sách liên kết tầng trên không hợp lệ")
            if offset + size > len(raw):
                raise HnswDamage(path, "tệp liên kết tầng trên bị cắt cụt")
            blocks.append(raw[offset : offset + size])
            offset += size
    if not blocks:
        return
    lists = np.frombuffer(b"".join(blocks), dtype="<u4").reshape(-1, 1 + h.max_m)
    counts = lists[:, 0] & 0xFFFF
    if (counts > h.max_m).any():
        raise HnswDamage(path, "danh sách liên kết tầng trên dài quá mức cho phép")
    used = np.arange(h.max_m)[None, :] < counts[:, None]
    if (lists[:, 1:][used] >= h.count).any():
        raise HnswDamage(path, "liên kết tầng trên trỏ tới phần tử không tồn tại")
