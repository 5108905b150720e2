"""The frame around the tasks (header, title, preamble, closing, recipients) and the gold records.

A document kind (``PROGRAM``, ``MONTHLY``, ``PLAN``, ``SCHEDULE``) fixes its header, title, preamble
and closing; the layouts only decide how the body is drawn. ``gold_records`` turns the content of
``content.py`` into the contract's records for one rendered file.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import (
    PREAMBLE,
    REFS,
    SCHEDULE_PREAMBLE,
    TASKS,
    WEEKS,
    YEAR,
    Task,
    canonical,
    tasks_of,
)

ISSUER = "Ủy ban nhân dân phường Hồng Gai"
LOCALITY = "phường Hồng Gai"
PROVINCE = "Quảng Ninh"


@dataclass(frozen=True)
class Kind:
    doc_type: str
    number: str
    place_date: str
    title: tuple[str, ...]
    preamble: tuple[tuple[str, tuple[str, ...]], ...]
    lead_in: str  # the sentence that closes the preamble
    closing: tuple[str, ...]  # 'Tổ chức thực hiện' provisions (not tasks)


_CLOSING_PROGRAM = (
    "1. Các phòng chuyên môn, đơn vị thuộc Ủy ban nhân dân phường căn cứ nhiệm vụ được giao chủ động xây "
    "dựng kế hoạch, tổ chức thực hiện bảo đảm tiến độ, chất lượng; báo cáo kết quả về Văn phòng HĐND và "
    "UBND phường trước ngày 20 hằng tháng.",
    "2. Văn phòng HĐND và UBND phường chủ trì, phối hợp với các phòng, đơn vị theo dõi, đôn đốc việc thực "
    "hiện Chương trình; tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân phường.",
    "Trong quá trình thực hiện, nếu có phát sinh, vướng mắc, các phòng, đơn vị kịp thời báo cáo Ủy ban "
    "nhân dân phường (qua Văn phòng HĐND và UBND phường) để xem xét, điều chỉnh./.",
)

PROGRAM = Kind(
    "Chương trình công tác",
    "Số: 125/CTr-UBND",
    "Hồng Gai, ngày 25 tháng 9 năm 2026",
    ("CHƯƠNG TRÌNH", "Công tác Quý IV năm 2026 của Ủy ban nhân dân phường"),
    PREAMBLE,
    "Ủy ban nhân dân phường xây dựng Chương trình công tác Quý IV năm 2026 như sau:",
    _CLOSING_PROGRAM,
)

MONTHLY = Kind(
    "Chương trình công tác",
    "Số: 131/CTr-UBND",
    "Hồng Gai, ngày 30 tháng 9 năm 2026",
    ("CHƯƠNG TRÌNH CÔNG TÁC THÁNG 10 NĂM 2026", "của Ủy ban nhân dân phường Hồng Gai"),
    PREAMBLE,
    "Ủy ban nhân dân phường ban hành Chương trình công tác như sau:",
    _CLOSING_PROGRAM,
)

PLAN = Kind(
    "Kế hoạch",
    "Số: 130/KH-UBND",
    "Hồng Gai, ngày 28 tháng 9 năm 2026",
    ("KẾ HOẠCH", "Thực hiện nhiệm vụ trọng tâm Quý IV năm 2026"),
    PREAMBLE,
    "Ủy ban nhân dân phường ban hành Kế hoạch thực hiện nhiệm vụ trọng tâm Quý IV năm 2026 như sau:",
    (
        "1. Văn phòng HĐND và UBND phường: theo dõi, đôn đốc các phòng, đơn vị triển khai các nhiệm vụ tại "
        "Phụ lục; tổng hợp kết quả, báo cáo Ủy ban nhân dân phường trước ngày 31/12/2026.",
        "2. Phòng Kinh tế, Hạ tầng và Đô thị: tham mưu bố trí kinh phí thực hiện Kế hoạch từ nguồn ngân "
        "sách phường năm 2026 theo quy định.",
        "3. Các phòng, đơn vị: căn cứ nhiệm vụ được giao tại Phụ lục, chủ động xây dựng kế hoạch chi tiết, "
        "phối hợp chặt chẽ trong quá trình thực hiện./.",
    ),
)

SCHEDULE = Kind(
    "Lịch công tác",
    "Số: 48/TB-UBND",
    "Hồng Gai, ngày 09 tháng 10 năm 2026",
    ("LỊCH CÔNG TÁC", "Tuần 2 và tuần 3 tháng 10/2026 của Lãnh đạo Ủy ban nhân dân phường"),
    SCHEDULE_PREAMBLE,
    "",
    (
        "Văn phòng HĐND và UBND phường thông báo để các phòng, đơn vị biết, chủ động chuẩn bị nội dung, "
        "thành phần tham dự. Lịch công tác có thể thay đổi, Văn phòng sẽ thông báo bổ sung./.",
    ),
)

ISSUER_LINES = ("ỦY BAN NHÂN DÂN", "PHƯỜNG HỒNG GAI")
MOTTO_LINES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
RECIPIENTS = (
    "Nơi nhận:",
    "- Thường trực Đảng ủy phường (b/c);",
    "- Thường trực HĐND phường;",
    "- Chủ tịch, các Phó Chủ tịch UBND phường;",
    "- Ủy ban MTTQ Việt Nam phường;",
    "- Các phòng, đơn vị thuộc UBND phường;",
    "- Lưu: VT, VP.",
)
SIGNATURE = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "(Đã ký)", "Nguyễn Thị Thu Hằng")
SCHEDULE_SIGNATURE = ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "(Đã ký)", "Phạm Văn Khôi")


def header_lines(kind: Kind) -> list[str]:
    """The header as a text layer without columns gives it: issuer, number, motto, place and date."""
    return [*ISSUER_LINES, kind.number, *MOTTO_LINES, kind.place_date]


def preamble_lines(kind: Kind) -> list[str]:
    return [line for line, _ in kind.preamble] + ([kind.lead_in] if kind.lead_in else [])


# -- gold ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldOptions:
    text: str = "plain"  # plain: the item's text only; clause: text + its time clause (prose layouts)
    month: str = "heading"  # heading: the month heading; own: the month of the item's own time; "10": fixed
    lead: str = "lead"  # lead: the assigned units; both: the 'Chủ trì' column too
    tasks: tuple[str, ...] | None = None  # task keys, default all


def _dedupe(names: list[str]) -> list[str]:
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return seen


def task_gold(task: Task, opts: GoldOptions) -> dict:
    text = task.text + (task.when.clause() if opts.text == "clause" else "")
    if opts.month == "heading":
        month = task.period if task.period is not None else task.when.own_month
    elif opts.month == "own":
        month = task.when.own_month
    else:
        month = int(opts.month)
    lead = canonical(task.lead)
    if opts.lead == "both":
        lead = _dedupe(canonical((task.presider,)) + lead)
    return {
        "kind": "task",
        "text": text,
        "month": month,
        "year": YEAR,
        "deadline": task.when.deadline,
        "start": task.when.start,
        "deadline_text": task.when.cell(),
        "lead_units": lead,
        "support_units": canonical(task.support),
        "references": list(task.refs),
    }


def _reference_records(symbols: list[str]) -> list[dict]:
    out = []
    for s in _dedupe(symbols):
        ref = REFS[s]
        out.append({"kind": "reference", "symbol": s, "issued_on": ref.issued_on, "issuer": ref.issuer})
    return out


def document_record(source: str, kind: Kind) -> dict:
    return {
        "kind": "document",
        "source": source,
        "doc_type": kind.doc_type,
        "issuer": ISSUER,
        "locality": LOCALITY,
        "province": PROVINCE,
        "year": YEAR,
        "tasks_exhaustive": True,
    }


def gold_records(source: str, kind: Kind, opts: GoldOptions) -> list[dict]:
    """The contract's records of one rendered program or plan."""
    chosen = [t for t in TASKS if opts.tasks is None or t.key in opts.tasks]
    symbols = [s for _, refs in kind.preamble for s in refs] + [s for t in chosen for s in t.refs]
    return [
        document_record(source, kind),
        *_reference_records(symbols),
        *(task_gold(t, opts) for t in chosen),
    ]


def schedule_gold(source: str) -> list[dict]:
    records = [document_record(source, SCHEDULE)]
    symbols = [s for _, refs in SCHEDULE.preamble for s in refs]
    symbols += [s for _, slots in WEEKS for slot in slots for s in slot.refs]
    records += _reference_records(symbols)
    for _, slots in WEEKS:
        for slot in slots:
            records.append(
                {
                    "kind": "task",
                    "text": slot.text,
                    "month": slot.when.last.month,
                    "year": YEAR,
                    "deadline": slot.when.deadline,
                    "start": slot.when.start,
                    "deadline_text": slot.when.cell(),
                    "lead_units": canonical(slot.lead),
                    "support_units": canonical(slot.support),
                    "references": list(slot.refs),
                }
            )
    return records


__all__ = [
    "MONTHLY",
    "PLAN",
    "PROGRAM",
    "SCHEDULE",
    "GoldOptions",
    "gold_records",
    "schedule_gold",
    "tasks_of",
]
