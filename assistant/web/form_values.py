"""Form values typed by users (dates, filter choices) turned into `RetrievalFilters`.

Office staff type dates the Vietnamese way (dd/mm/yyyy); ISO dates pasted from elsewhere work too. A
value the app cannot read is reported back in Vietnamese instead of being silently ignored, because an
ignored filter would make an answer look narrower than it is.
"""

from __future__ import annotations

import re
from datetime import date

from vectorstore.hybrid_retriever import RetrievalFilters

ALL_CHOICES = "Tất cả"
_VIETNAMESE_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class InputError(ValueError):
    """A form value the user must correct; the message is Vietnamese and shown as is."""


def parse_date_input(text: str | None, label: str) -> date | None:
    """`dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`, `dd.mm.yyyy`) or `yyyy-mm-dd`; blank means no bound."""
    value = (text or "").strip()
    if not value:
        return None
    iso = _ISO_DATE.fullmatch(value)
    vietnamese = _VIETNAMESE_DATE.fullmatch(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if vietnamese:
            return date(int(vietnamese.group(3)), int(vietnamese.group(2)), int(vietnamese.group(1)))
    except ValueError as exc:
        raise InputError(f"{label} «{value}» không phải ngày có thật (ví dụ đúng: 07/07/2022).") from exc
    raise InputError(f"{label} «{value}» không đúng dạng: hãy nhập dd/mm/yyyy, ví dụ 07/07/2022.")


def build_filters(
    date_from: str | None, date_to: str | None, category: str | None = None, outlet: str | None = None
) -> RetrievalFilters:
    """Filters from the form; raises `InputError` for an unreadable or reversed date range."""
    start = parse_date_input(date_from, "Từ ngày")
    end = parse_date_input(date_to, "Đến ngày")
    if start and end and start > end:
        raise InputError(f"«Từ ngày» ({vn_date(start)}) phải trước hoặc bằng «Đến ngày» ({vn_date(end)}).")
    return RetrievalFilters(date_from=start, date_to=end, category=_choice(category), outlet=_choice(outlet))


def _choice(value: str | None) -> str | None:
    """A dropdown value, with the "all" entry meaning no filter."""
    return None if not value or value == ALL_CHOICES else value


def vn_date(value: date | str | None, missing: str = "không rõ ngày") -> str:
    """dd/mm/yyyy, the way every date is shown to users."""
    if value is None or value == "":
        return missing
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%d/%m/%Y}"


def period_label(date_from: date | None, date_to: date | None) -> str:
    """`01/01/2019 – 31/12/2019`, with `…` for an open end; empty when there is no bound."""
    if not (date_from or date_to):
        return ""
    return f"{vn_date(date_from, '…')} – {vn_date(date_to, '…')}"


def describe_filters(filters: RetrievalFilters) -> str:
    """One line naming every active filter (empty when none), e.g. `Lọc: 01/01/2019 – 31/12/2019`."""
    parts = []
    if filters.date_from or filters.date_to:
        parts.append(f"Lọc: {period_label(filters.date_from, filters.date_to)}")
    if filters.category:
        parts.append(f"Chuyên mục: {filters.category}")
    if filters.outlet:
        parts.append(f"Nguồn đăng: {filters.outlet}")
    return " · ".join(parts)
