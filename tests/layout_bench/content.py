"""The bench's content, defined once: units, references, tasks, a weekly schedule.

Everything here is invented (a 2025-2026 ward of the two-level government, with
the office names of Nghị định 150/2025); no third-party text. Every layout in
``layouts.py`` renders these same tasks, and the gold records of each layout are
derived from the same data (``gold.py``), so a layout that scores lower than the
others shows a reading problem of that layout, not of the content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

YEAR = 2026


# -- units -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A body as the gold names it (``canonical``, several for a grouped list) and as documents write it."""

    canonical: tuple[str, ...]
    full: str  # the spelling of prose layouts
    short: str  # the spelling of table cells (abbreviations)


UNITS: dict[str, Unit] = {
    "vp": Unit(("Văn phòng HĐND và UBND",), "Văn phòng HĐND và UBND phường", "VP HĐND-UBND"),
    "vhxh": Unit(("Phòng Văn hóa - Xã hội",), "Phòng Văn hóa - Xã hội", "Phòng VH-XH"),
    "kt": Unit(("Phòng Kinh tế, Hạ tầng và Đô thị",), "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng KT, HT&ĐT"),
    "ca": Unit(("Công an phường",), "Công an phường", "Công an phường"),
    "qs": Unit(("Ban Chỉ huy Quân sự",), "Ban Chỉ huy Quân sự phường", "Ban CHQS phường"),
    "hcc": Unit(
        ("Trung tâm Phục vụ hành chính công",),
        "Trung tâm Phục vụ hành chính công phường",
        "TT Phục vụ HCC phường",
    ),
    "yte": Unit(("Trạm Y tế",), "Trạm Y tế phường", "Trạm Y tế"),
    "mttq": Unit(
        ("Ủy ban Mặt trận Tổ quốc Việt Nam",), "Ủy ban MTTQ Việt Nam phường", "UBMTTQ Việt Nam phường"
    ),
    "pn": Unit(("Hội Liên hiệp Phụ nữ",), "Hội Liên hiệp Phụ nữ phường", "Hội LHPN phường"),
    "dtn": Unit(("Đoàn Thanh niên Cộng sản Hồ Chí Minh",), "Đoàn Thanh niên phường", "Đoàn TN phường"),
    "ccb": Unit(("Hội Cựu chiến binh",), "Hội Cựu chiến binh phường", "Hội CCB phường"),
    "ctd": Unit(("Hội Chữ thập đỏ",), "Hội Chữ thập đỏ phường", "Hội Chữ thập đỏ phường"),
    "cacphong": Unit(("Các phòng, đơn vị",), "các phòng, đơn vị", "Các phòng, đơn vị"),
    "ubnd": Unit(("Ủy ban nhân dân phường",), "Ủy ban nhân dân phường", "UBND phường"),
    "truong": Unit(
        ("Trường Mầm non", "Trường Tiểu học", "Trường Trung học cơ sở"),
        "các Trường Mầm non, Tiểu học, Trung học cơ sở",
        "Trường Mầm non, Tiểu học, THCS",
    ),
}


def canonical(keys: tuple[str, ...]) -> list[str]:
    return [name for key in keys for name in UNITS[key].canonical]


def written(keys: tuple[str, ...], *, short: bool = False, sep: str = ", ") -> str:
    return sep.join(UNITS[k].short if short else UNITS[k].full for k in keys)


# -- references --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    symbol: str
    issued_on: str | None  # the date written next to the symbol in the documents
    issuer: str | None = None


REFS: dict[str, Ref] = {
    r.symbol: r
    for r in (
        Ref("15-CTr/ĐU", "2026-01-05", "Đảng ủy phường"),
        Ref("37/KH-UBND", "2026-01-20", "Ủy ban nhân dân phường"),
        Ref("125/CTr-UBND", "2026-09-25", "Ủy ban nhân dân phường"),
        Ref("57-NQ/TW", "2024-12-22", "Bộ Chính trị"),
        Ref("22-QĐi/TW", "2021-07-28", "Ban Chấp hành Trung ương"),
        Ref("71-NQ/TW", None, "Bộ Chính trị"),
    )
}

# The preamble of the program and plan layouts: (line, symbols it cites).
PREAMBLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Căn cứ Quy chế làm việc của Ủy ban nhân dân phường nhiệm kỳ 2021 - 2026;", ()),
    (
        "Thực hiện Chương trình số 15-CTr/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy phường về "
        "chương trình công tác năm 2026;",
        ("15-CTr/ĐU",),
    ),
    (
        "Căn cứ Kế hoạch số 37/KH-UBND ngày 20/01/2026 của Ủy ban nhân dân phường về thực hiện "
        "nhiệm vụ phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh năm 2026;",
        ("37/KH-UBND",),
    ),
    ("Theo đề xuất của các phòng chuyên môn, đơn vị thuộc Ủy ban nhân dân phường.", ()),
)


# -- times -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """A task's time, with its two written forms: a table cell or field line, and a clause in prose."""

    kind: str  # before | day | range | month | quarter | regular
    first: date | None = None  # start of a range
    last: date | None = None  # the day (before/day) or end of a range
    month: int | None = None  # for kind == "month"

    @property
    def deadline(self) -> str | None:
        return self.last.isoformat() if self.last else None

    @property
    def start(self) -> str | None:
        return self.first.isoformat() if self.first else None

    @property
    def own_month(self) -> int | None:
        """The one month the time names, else None (quarters, ranges over two months, thường xuyên)."""
        if self.kind == "month":
            return self.month
        if self.kind in ("before", "day"):
            return self.last.month
        if self.kind == "range" and self.first.month == self.last.month:
            return self.last.month
        return None

    def cell(self) -> str:
        if self.kind == "before":
            return f"Trước {self.last:%d/%m/%Y}"
        if self.kind == "day":
            return f"Ngày {self.last:%d/%m/%Y}"
        if self.kind == "range":
            return f"Từ ngày {self.first:%d/%m} - {self.last:%d/%m/%Y}"
        if self.kind == "month":
            return f"Tháng {self.month}/{YEAR}"
        if self.kind == "quarter":
            return f"Quý IV/{YEAR}"
        return "Thường xuyên"

    def clause(self) -> str:
        """The same time as the end of a sentence: ', hoàn thành trước ngày 20/10/2026'."""
        if self.kind == "before":
            return f", hoàn thành trước ngày {self.last:%d/%m/%Y}"
        if self.kind == "day":
            return f", dự kiến tổ chức vào ngày {self.last:%d/%m/%Y}"
        if self.kind == "range":
            return f", thực hiện từ ngày {self.first:%d/%m} - {self.last:%d/%m/%Y}"
        if self.kind == "month":
            return f", thực hiện trong tháng {self.month}/{YEAR}"
        if self.kind == "quarter":
            return f", thực hiện trong Quý IV/{YEAR}"
        return ", thực hiện thường xuyên"


def before(m: int, d: int) -> When:
    return When("before", last=date(YEAR, m, d))


def day(m: int, d: int) -> When:
    return When("day", last=date(YEAR, m, d))


def span(m1: int, d1: int, m2: int, d2: int) -> When:
    return When("range", first=date(YEAR, m1, d1), last=date(YEAR, m2, d2))


# -- tasks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    key: str
    period: int | None  # the month heading it sits under (None: the 'Nhiệm vụ thường xuyên' group)
    text: str
    when: When
    lead: tuple[str, ...]
    support: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()
    presider: str = "ubnd"  # the 'Chủ trì' column of the two-lead table (the lead goes to 'Cơ quan chuẩn bị')
    area: str = "D"  # the group of the appendix table
    product: str = "Kế hoạch"  # the 'Sản phẩm' column of the appendix table
    lead_word: str = "chủ trì"  # the role word of prose layouts
    # where the pdftotext layout forces a line break (a word that must start a line)
    wrap_before: tuple[str, ...] = ()


TASKS: tuple[Task, ...] = (
    Task(
        "t01",
        10,
        "Tổ chức Hội nghị sơ kết 01 năm triển khai thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị "
        "về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia trên địa bàn phường",
        before(10, 20),
        ("vhxh",),
        ("vp", "hcc"),
        refs=("57-NQ/TW",),
        area="B",
        product="Báo cáo, Hội nghị",
        wrap_before=("NQ/TW",),
    ),
    Task(
        "t02",
        10,
        "Tổ chức các hoạt động kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam "
        "(20/10/1930 - 20/10/2026) và tôn vinh phụ nữ tiêu biểu trên địa bàn phường",
        day(10, 16),
        ("pn",),
        ("vhxh",),
        presider="pn",
        area="B",
        product="Hội nghị",
    ),
    Task(
        "t03",
        10,
        "Kiểm tra công tác phòng cháy, chữa cháy tại các cơ sở kinh doanh karaoke, nhà trọ, cơ sở lưu "
        "trú trên địa bàn phường",
        span(10, 12, 10, 23),
        ("ca",),
        ("kt", "qs"),
        presider="ca",
        area="C",
        product="Biên bản kiểm tra",
        wrap_before=("phối hợp",),
    ),
    Task(
        "t04",
        10,
        "Triển khai công tác tự kiểm tra, giám sát tại các phòng, đơn vị thuộc Ủy ban nhân dân phường theo "
        "Quy định số 22-QĐi/TW ngày 28/7/2021 của Ban Chấp hành Trung ương",
        before(10, 30),
        ("vp",),
        ("vhxh",),
        refs=("22-QĐi/TW",),
        area="D",
    ),
    Task(
        "t05",
        10,
        "Báo cáo tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh "
        "tháng 10, phương hướng nhiệm vụ tháng 11 năm 2026",
        before(10, 25),
        ("vp",),
        ("cacphong",),
        area="D",
        product="Báo cáo",
        lead_word="chuẩn bị",
    ),
    Task(
        "t06",
        10,
        "Tuyên truyền, vận động Nhân dân hưởng ứng Ngày Chuyển đổi số quốc gia (10/10) và hướng dẫn sử "
        "dụng dịch vụ công trực tuyến toàn trình tại các tổ dân phố",
        span(10, 5, 10, 16),
        ("hcc",),
        ("vhxh", "dtn"),
        area="D",
        product="Tin, bài tuyên truyền",
    ),
    Task(
        "t07",
        10,
        "Ra quân tổng vệ sinh môi trường, khơi thông cống rãnh, phát quang hành lang an toàn giao thông "
        "tại các tổ dân phố",
        span(10, 26, 11, 6),
        ("kt",),
        ("mttq", "dtn"),
        area="A",
        product="Báo cáo kết quả",
    ),
    Task(
        "t08",
        11,
        "Tổ chức Ngày Pháp luật nước Cộng hòa xã hội chủ nghĩa Việt Nam (09/11) gắn với tuyên truyền, "
        "phổ biến pháp luật về tổ chức chính quyền địa phương hai cấp",
        day(11, 6),
        ("vp",),
        ("vhxh", "truong"),
        area="D",
        product="Hội nghị",
    ),
    Task(
        "t09",
        11,
        "Tổ chức Ngày hội Đại đoàn kết toàn dân tộc tại các khu dân cư nhân kỷ niệm 96 năm Ngày truyền "
        "thống Mặt trận Tổ quốc Việt Nam (18/11/1930 - 18/11/2026)",
        span(11, 3, 11, 14),
        ("mttq",),
        ("vhxh",),
        presider="mttq",
        area="B",
        product="Ngày hội",
    ),
    Task(
        "t10",
        11,
        "Xây dựng dự toán ngân sách phường năm 2027 và kế hoạch đầu tư công trung hạn giai đoạn "
        "2026 - 2030, trình Hội đồng nhân dân phường xem xét, quyết định",
        before(11, 15),
        ("kt", "vp"),
        area="A",
        product="Tờ trình, Dự thảo Nghị quyết",
        lead_word="chuẩn bị",
    ),
    Task(
        "t11",
        11,
        "Kiểm tra, chấm điểm các tiêu chí xây dựng phường đạt chuẩn đô thị văn minh năm 2026 theo "
        "Kế hoạch số 37/KH-UBND",
        before(11, 25),
        ("vhxh",),
        ("kt", "ca"),
        refs=("37/KH-UBND",),
        area="B",
        product="Báo cáo",
    ),
    Task(
        "t12",
        11,
        "Tổ chức sơ tuyển sức khỏe công dân trong độ tuổi thực hiện nghĩa vụ quân sự và nghĩa vụ tham "
        "gia Công an nhân dân năm 2027",
        day(11, 20),
        ("qs",),
        ("ca", "yte"),
        presider="qs",
        area="C",
        product="Danh sách",
    ),
    Task(
        "t13",
        12,
        "Tổ chức các hoạt động kỷ niệm 82 năm Ngày thành lập Quân đội nhân dân Việt Nam (22/12/1944 - "
        "22/12/2026) và 37 năm Ngày hội Quốc phòng toàn dân (22/12/1989 - 22/12/2026)",
        before(12, 20),
        ("qs",),
        ("ccb", "vhxh"),
        presider="qs",
        area="C",
        product="Kế hoạch, Hội nghị",
    ),
    Task(
        "t14",
        12,
        "Tổng kết công tác thi đua, khen thưởng và bình xét danh hiệu thi đua năm 2026. Đề xuất khen thưởng các tập thể, cá nhân có "
        "thành tích xuất sắc trong thực hiện nhiệm vụ chính trị của địa phương",
        before(12, 25),
        ("vhxh",),
        ("cacphong",),
        area="B",
        product="Báo cáo, Tờ trình",
        wrap_before=("2026.",),
    ),
    Task(
        "t15",
        12,
        "Xây dựng Chương trình công tác năm 2027 của Ủy ban nhân dân phường; tổng hợp kết quả thực hiện "
        "Nghị quyết số 71-NQ/TW của Bộ Chính trị về đột phá phát triển giáo dục và đào tạo",
        before(12, 28),
        ("vp",),
        ("cacphong",),
        refs=("71-NQ/TW",),
        area="D",
        product="Chương trình",
    ),
    Task(
        "t16",
        None,
        "Tiếp nhận, giải quyết thủ tục hành chính đúng quy định, không để tồn đọng hồ sơ trễ hạn trên "
        "Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh",
        When("regular"),
        ("hcc",),
        ("cacphong",),
        presider="hcc",
        area="D",
        product="Báo cáo tháng",
    ),
    Task(
        "t17",
        None,
        "Bảo đảm an ninh chính trị, trật tự an toàn xã hội; phòng, chống tội phạm và tệ nạn ma túy, "
        "xây dựng phường không ma túy",
        When("quarter"),
        ("ca",),
        ("qs",),
        presider="ca",
        area="C",
        product="Báo cáo",
    ),
    Task(
        "t18",
        None,
        "Vận động cán bộ, đoàn viên, hội viên và Nhân dân tham gia hiến máu tình nguyện đợt cuối năm",
        When("month", month=11),
        ("ctd",),
        ("yte", "dtn"),
        presider="ctd",
        area="B",
        product="Ngày hội hiến máu",
    ),
)

FIELDS: dict[str, str] = {
    "A": "A. LĨNH VỰC KINH TẾ, ĐÔ THỊ",
    "B": "B. LĨNH VỰC VĂN HÓA - XÃ HỘI",
    "C": "C. LĨNH VỰC QUỐC PHÒNG, AN NINH",
    "D": "D. XÂY DỰNG CHÍNH QUYỀN, CẢI CÁCH HÀNH CHÍNH",
}

MONTHS = (10, 11, 12)


def tasks_of(period: int | None) -> list[Task]:
    return [t for t in TASKS if t.period == period]


# -- the weekly schedule -----------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """One row of the week-by-week schedule; ``when`` is the day (or a range) of its day cell."""

    when: When
    text: str
    lead: tuple[str, ...]
    support: tuple[str, ...]
    place: str
    refs: tuple[str, ...] = ()


# weeks: (sub-heading, slots); consecutive slots with the same day share one merged day cell
WEEKS: tuple[tuple[str, tuple[Slot, ...]], ...] = (
    (
        "Tuần 2 (từ 12/10 đến 16/10)",
        (
            Slot(
                day(10, 12),
                "Giao ban Lãnh đạo Ủy ban nhân dân phường đánh giá kết quả công tác tuần 1, triển khai "
                "nhiệm vụ tuần 2 tháng 10/2026",
                ("ubnd",),
                ("cacphong",),
                "Phòng họp số 1",
            ),
            Slot(
                day(10, 12),
                "Làm việc với các chủ đầu tư về tiến độ giải phóng mặt bằng dự án chỉnh trang tuyến "
                "đường ven đồi",
                ("kt",),
                ("vp", "mttq"),
                "Phòng họp số 2",
            ),
            Slot(
                day(10, 14),
                "Kiểm tra công tác phòng cháy, chữa cháy tại chợ trung tâm và các ki-ốt kinh doanh",
                ("ca",),
                ("kt",),
                "Chợ trung tâm phường",
            ),
            Slot(
                day(10, 14),
                "Tập huấn sử dụng nền tảng số, dịch vụ công trực tuyến cho cán bộ, công chức phường",
                ("vhxh",),
                ("hcc",),
                "Hội trường UBND phường",
            ),
            Slot(
                day(10, 14),
                "Tiếp công dân định kỳ của Chủ tịch Ủy ban nhân dân phường",
                ("ubnd",),
                ("vp", "ca"),
                "Trụ sở tiếp công dân",
            ),
            Slot(
                day(10, 16),
                "Gặp mặt kỷ niệm 96 năm Ngày thành lập Hội Liên hiệp Phụ nữ Việt Nam (20/10/1930 - 20/10/2026)",
                ("pn",),
                ("vhxh", "mttq"),
                "Hội trường UBND phường",
            ),
        ),
    ),
    (
        "Tuần 3 (từ 19/10 đến 23/10)",
        (
            Slot(
                day(10, 19),
                "Giao ban Lãnh đạo Ủy ban nhân dân phường triển khai nhiệm vụ tuần 3 tháng 10/2026",
                ("ubnd",),
                ("cacphong",),
                "Phòng họp số 1",
            ),
            Slot(
                day(10, 19),
                "Họp Hội đồng tư vấn thẩm định hồ sơ đề nghị công nhận tổ dân phố văn hóa năm 2026",
                ("vhxh",),
                ("mttq", "pn"),
                "Phòng họp số 2",
            ),
            Slot(
                span(10, 19, 10, 23),
                "Ra quân tổng vệ sinh môi trường, khơi thông cống rãnh tại các tổ dân phố",
                ("kt",),
                ("dtn", "ccb"),
                "Các tổ dân phố",
            ),
            Slot(
                day(10, 21),
                "Hội nghị sơ kết 01 năm thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
                ("vhxh",),
                ("vp", "hcc"),
                "Hội trường UBND phường",
                refs=("57-NQ/TW",),
            ),
            Slot(
                day(10, 22),
                "Kiểm tra công tác huấn luyện dân quân thường trực quý IV",
                ("qs",),
                ("ca",),
                "Ban Chỉ huy Quân sự phường",
            ),
            Slot(
                day(10, 23),
                "Họp xét duyệt hồ sơ hỗ trợ hộ nghèo, hộ cận nghèo sửa chữa nhà ở",
                ("vhxh",),
                ("mttq", "kt"),
                "Phòng họp số 2",
            ),
        ),
    ),
)

SCHEDULE_PREAMBLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Căn cứ Chương trình công tác Quý IV năm 2026 số 125/CTr-UBND ngày 25/9/2026 của Ủy ban nhân dân "
        "phường; Ủy ban nhân dân phường thông báo lịch công tác tuần 2 và tuần 3 tháng 10/2026 như sau:",
        ("125/CTr-UBND",),
    ),
)
