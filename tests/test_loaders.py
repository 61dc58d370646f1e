"""Loading files and folders: encodings, formats, ids, and a clear problem for every bad input."""

from __future__ import annotations

import gzip
import json
import os
import random
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ingest.decoding import UndecodableFileError, decode_bytes
from ingest.loaders import SUPPORTED_EXTENSIONS, iter_documents
from ingest.models import LoadProblem, RawDocument
from tests.conftest import SAMPLE_ARCHIVE, sample_page, sample_pages

VIETNAMESE = (
    "Hội nghị đối ngoại nhân dân năm 2022 tại Cao Bằng. ỦY BAN BIÊN GIỚI, ƯỚC MƠ Đà Nẵng, Nguyễn Ngọc Hùng."
)
LIMIT = 10 * 1024 * 1024
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters precomposed, tone marks combining."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS)) + tones)
    return "".join(out).encode("cp1258")


def load(*paths: Path, limit: int = LIMIT) -> list[RawDocument | LoadProblem]:
    return list(iter_documents(list(paths), limit))


def only_document(path: Path, limit: int = LIMIT) -> RawDocument:
    [item] = load(path, limit=limit)
    assert isinstance(item, RawDocument), item
    return item


def only_problem(path: Path, limit: int = LIMIT) -> LoadProblem:
    [item] = load(path, limit=limit)
    assert isinstance(item, LoadProblem), item
    return item


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: s.encode("utf-8-sig"),
        lambda s: s.encode("utf-16"),
        lambda s: b"\xfe\xff" + s.encode("utf-16-be"),
        lambda s: s.encode("utf-16-le"),  # no BOM: recognised from its NUL pattern
        cp1258_bytes,
        lambda s: unicodedata.normalize("NFD", s).encode("utf-8"),
    ],
    ids=["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le-no-bom", "cp1258", "utf-8-nfd"],
)
def test_encodings_decode_to_the_exact_nfc_text(tmp_path: Path, encode: Callable[[str], bytes]) -> None:
    path = tmp_path / "bai.txt"
    path.write_bytes(encode(VIETNAMESE))
    assert only_document(path).text == VIETNAMESE


def test_cp1258_sample_from_the_brief() -> None:
    assert decode_bytes(cp1258_bytes("Hội nghị đối ngoại"), "x") == "Hội nghị đối ngoại"


def test_double_encoded_utf8_is_repaired() -> None:
    garbled = "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
        for b in VIETNAMESE.encode("utf-8")
    )
    assert garbled.startswith("Há»™i")
    assert decode_bytes(garbled.encode("utf-8"), "x") == VIETNAMESE


def test_eth_is_repaired_to_vietnamese_d(tmp_path: Path) -> None:
    path = tmp_path / "eth.txt"
    path.write_text("Ðại hội Ðảng và ðoàn kết", encoding="utf-8")
    assert only_document(path).text == "Đại hội Đảng và đoàn kết"


@pytest.mark.parametrize(
    "data",
    [
        random.Random(7).randbytes(4096),
        b"Hoi nghi\x00\x01\x02 binary\x00",
        "Bonjour à tous, ça va très bien".encode("cp1252"),  # Latin-1 text is not Windows-1258 Vietnamese
    ],
    ids=["random", "nul", "latin1"],
)
def test_binary_or_unknown_encoding_is_a_problem(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    problem = only_problem(path)
    assert problem.source == str(path)
    assert "nhị phân" in problem.reason or "bảng mã" in problem.reason
    with pytest.raises(UndecodableFileError):
        decode_bytes(data, str(path))


def test_empty_oversize_and_unreadable_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert only_problem(empty).reason == "Tệp rỗng."
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n ", encoding="utf-8")
    assert "không có nội dung" in only_problem(blank).reason
    big = tmp_path / "big.txt"
    big.write_text(VIETNAMESE * 10, encoding="utf-8")
    assert "quá lớn" in only_problem(big, limit=100).reason
    locked = tmp_path / "locked.txt"
    locked.write_text(VIETNAMESE, encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert "không có quyền" in only_problem(locked).reason


def test_folder_walk_ids_order_and_skips(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    (root / "2020" / "06").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "2020" / "06" / "hoi-nghi.txt").write_text(VIETNAMESE, encoding="utf-8")
    (root / "a.txt").write_text(VIETNAMESE, encoding="utf-8")
    (root / "a.md").write_text("# Tiêu đề\n\n" + VIETNAMESE, encoding="utf-8")
    (root / ".git" / "config.txt").write_text("x", encoding="utf-8")
    (root / ".an.txt").write_text("x", encoding="utf-8")
    (root / "~$bai.docx").write_bytes(b"lock")
    (root / "anh.jpg").write_bytes(b"\xff\xd8\xff")
    items = load(root)
    assert all(isinstance(i, RawDocument) for i in items)
    # Sorted by name; "a.txt" would repeat the id of "a.md", so it keeps its extension.
    assert [i.article_id for i in items] == ["2020/06/hoi-nghi", "a", "a.txt"]
    assert [Path(i.source).name for i in items] == ["hoi-nghi.txt", "a.md", "a.txt"]


def test_seed_folder_ids_and_single_file_stem() -> None:
    items = load(SAMPLE_ARCHIVE)
    assert [i.article_id for i in items if isinstance(i, RawDocument)] == [p.stem for p in sample_pages()]
    single = only_document(sample_page("000_8e02bbd58b42a3a7"))
    assert single.article_id == "000_8e02bbd58b42a3a7" and single.kind == "txt"
    assert single.source == str(sample_page("000_8e02bbd58b42a3a7"))


def test_missing_path_and_unsupported_file_named_directly(tmp_path: Path) -> None:
    assert "Không tìm thấy" in only_problem(tmp_path / "khong-co.txt").reason
    odd = tmp_path / "bang.xlsx"
    odd.write_bytes(b"PK")
    assert "không được hỗ trợ" in only_problem(odd).reason
    assert ".jsonl.gz" in SUPPORTED_EXTENSIONS and ".docx" in SUPPORTED_EXTENSIONS


def test_html_keeps_paragraphs_and_reads_hints(tmp_path: Path) -> None:
    path = tmp_path / "trang.html"
    path.write_text(
        """<html><head><title>Khai mạc hội nghị - Cổng thông tin</title>
        <meta property="article:published_time" content="2020-06-24T10:00:00+07:00">
        <meta property="og:url" content="https://songoaivu.vn/khai-mac.html"><style>p{color:red}</style></head>
        <body><header><h1>Cổng thông tin tỉnh</h1></header><nav>Trang chủ | Tin tức</nav>
        <article><header><h1>Khai mạc hội nghị đối ngoại</h1></header><p>Sáng 24/6, tại
        Hà Nội, hội nghị khai mạc.</p><p>Đoạn <b>thứ hai</b>.<br>Dòng mới.</p><script>alert("x")</script></article>
        <aside>Tin liên quan</aside><footer>Bản quyền 2020</footer></body></html>""",
        encoding="utf-8",
    )
    doc = only_document(path)
    assert doc.kind == "html" and doc.article_id == "trang"
    assert (
        doc.text
        == "Khai mạc hội nghị đối ngoại\n\nSáng 24/6, tại Hà Nội, hội nghị khai mạc.\n\nĐoạn thứ hai.\nDòng mới."
    )
    assert (doc.title, doc.date, doc.url) == (
        "Khai mạc hội nghị đối ngoại",
        "2020-06-24T10:00:00+07:00",
        "https://songoaivu.vn/khai-mac.html",
    )


def test_markdown_is_stripped_lightly(tmp_path: Path) -> None:
    path = tmp_path / "bai.md"
    path.write_text(
        "---\ndate: 2021-03-05\nauthor: Minh Anh\n---\n# Hội nghị **đối ngoại**\n\nĐoạn có [liên kết](http://x.vn) "
        "và *nhấn mạnh* cho Chỉ thị 12-CT/TW.\n\n## Mục nhỏ\n\n- Ý thứ nhất\n- Ý thứ hai\n\n> Trích dẫn\n",
        encoding="utf-8",
    )
    doc = only_document(path)
    assert (doc.title, doc.date, doc.author, doc.kind) == (
        "Hội nghị đối ngoại",
        "2021-03-05",
        "Minh Anh",
        "md",
    )
    assert doc.text == (
        "Hội nghị đối ngoại\n\nĐoạn có liên kết và nhấn mạnh cho Chỉ thị 12-CT/TW.\n\nMục nhỏ\n\n"
        "Ý thứ nhất\nÝ thứ hai\n\nTrích dẫn"
    )


def test_docx_paragraphs_tables_and_core_properties(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Hội nghị đối ngoại nhân dân", level=1)
    document.add_paragraph("Đoạn thứ nhất về khách sạn Ariyana.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Đại biểu", "70 người"
    document.add_paragraph("Đoạn cuối.")
    document.core_properties.title = "Hội nghị đối ngoại nhân dân"
    document.core_properties.author = "Chi Giang"
    document.core_properties.created = datetime(2019, 10, 8, 9, 0, tzinfo=UTC)
    path = tmp_path / "bai.docx"
    document.save(str(path))
    doc = only_document(path)
    assert (
        doc.text
        == "Hội nghị đối ngoại nhân dân\n\nĐoạn thứ nhất về khách sạn Ariyana.\n\nĐại biểu | 70 người\n\nĐoạn cuối."
    )
    assert (doc.title, doc.author, doc.date, doc.kind) == (
        "Hội nghị đối ngoại nhân dân",
        "Chi Giang",
        "2019-10-08",
        "docx",
    )


def test_docx_template_defaults_are_not_hints(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Nội dung.")
    path = tmp_path / "mac-dinh.docx"
    document.save(str(path))
    doc = only_document(path)
    assert (doc.author, doc.date) == (None, None)


def test_damaged_docx_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    assert "Word" in only_problem(path).reason


def _pdf_with_text(lines: list[str]) -> bytes:
    """A minimal one-page PDF with Helvetica text (ASCII only: no font embedding here)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.pdf"
    lines = [
        "Bao cao tong ket",
        "Hoi nghi doi ngoai nhan dan nam 2022 duoc to chuc tai tinh Cao Bang voi",
        "su tham du cua hon hai tram dai bieu den tu cac to chuc thanh vien o",
        "Trung uong va dia phuong tren ca nuoc.",
        "Dai bieu thao luan ve Chi thi 12-CT/TW va cac giai phap nang cao hieu qua.",
    ]
    path.write_bytes(_pdf_with_text(lines))
    doc = only_document(path)
    assert doc.kind == "pdf"
    assert doc.text.split("\n\n") == [
        "Bao cao tong ket",
        " ".join(lines[1:4]),  # lines wrapped by the page width are one paragraph again
        lines[4],
    ]


def test_pdf_without_text_and_damaged_pdf_are_problems(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    blank = tmp_path / "trang-trang.pdf"
    with blank.open("wb") as handle:
        writer.write(handle)
    assert "không có văn bản" in only_problem(blank).reason
    broken = tmp_path / "hong.pdf"
    broken.write_bytes(b"%PDF-1.4\n garbage")
    assert "PDF" in only_problem(broken).reason


def _row(article_id: object, text: object, **extra: object) -> str:
    return json.dumps({"id": article_id, "text": text, **extra}, ensure_ascii=False)


def test_jsonl_bad_rows_are_reported_by_line_and_the_rest_loads(tmp_path: Path) -> None:
    path = tmp_path / "kho.jsonl"
    lines = [
        _row("a1", "Bài một.", title="Tiêu đề", date="2021-04-15", url="https://x.vn", outlet="Dân trí"),
        '{"id": "a2", "text": "thiếu ngoặc"',
        "",
        _row("a3", ""),
        json.dumps({"text": "không có id"}),
        "[1, 2]",
        _row(7, "Bài có id là số.", source="github.com/x@y:z.txt", category="Thế giới"),
        _row("a1", "Trùng mã."),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = load(path)
    docs = [i for i in items if isinstance(i, RawDocument)]
    problems = {i.source: i.reason for i in items if isinstance(i, LoadProblem)}
    assert [d.article_id for d in docs] == ["a1", "7"]
    assert docs[0].source == f"{path}:1" and docs[1].source == f"{path}:7"
    assert (docs[0].title, docs[0].date, docs[0].url, docs[0].outlet) == (
        "Tiêu đề",
        "2021-04-15",
        "https://x.vn",
        "Dân trí",
    )
    assert (docs[1].outlet, docs[1].category, docs[1].kind) == (None, "Thế giới", "jsonl")
    assert set(problems) == {f"{path}:{n}" for n in (2, 4, 5, 6, 8)}
    assert "Dòng 2 không phải JSON hợp lệ" in problems[f"{path}:2"]
    assert "'text'" in problems[f"{path}:4"] and "'id'" in problems[f"{path}:5"]
    assert "trùng" in problems[f"{path}:8"]


def test_jsonl_gz_streams_rows_and_limits_each_row(tmp_path: Path) -> None:
    path = tmp_path / "kho.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(
            _row("r1", VIETNAMESE) + "\n" + _row("r2", VIETNAMESE * 50) + "\n" + _row("r3", "Ngắn.") + "\n"
        )
    items = load(path, limit=1000)
    assert [type(i).__name__ for i in items] == ["RawDocument", "LoadProblem", "RawDocument"]
    assert items[0].text == VIETNAMESE and items[2].article_id == "r3"
    assert items[1].source == f"{path}:2" and "quá lớn" in items[1].reason


def test_truncated_gzip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "hong.jsonl.gz"
    data = gzip.compress(("\n".join(_row(f"r{i}", VIETNAMESE) for i in range(200)) + "\n").encode())
    path.write_bytes(data[: len(data) // 2])
    items = load(path)
    assert isinstance(items[-1], LoadProblem) and "hỏng" in items[-1].reason
    assert any(isinstance(i, RawDocument) for i in items)


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinked_folder_is_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "kho"
    root.mkdir()
    (root / "bai.txt").write_text(VIETNAMESE, encoding="utf-8")
    (root / "vong").symlink_to(root, target_is_directory=True)
    assert [i.article_id for i in load(root)] == ["bai"]
