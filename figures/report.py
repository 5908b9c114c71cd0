"""The quarterly summary as a PDF: the summary page's own tables (``figures.summary``, in a
``Release``), its charts drawn offline by vl-convert (no network: the chart data is inline
and vl-convert carries its own renderer and fonts), laid out with fpdf2.

It carries what a printed page needs to stand on its own: the period and counties, when it
was generated, when the data was last loaded, the withholding rule (for summaries-only
readers), the status thresholds, and the demo notice on demo data.
"""

from __future__ import annotations

import io
from pathlib import Path

import altair as alt
import vl_convert
from fpdf import FPDF
from fpdf.fonts import FontFace

from charts.indicators import against_targets, figures_bars
from core.periods import key_words
from figures.export import Release
from figures.summary import SECTIONS
from metrics import format as fmt
from metrics.disclosure import rule_words
from metrics.indicators import indicators_table, status_rule_words
from metrics.summary import section_rows
from queries.measures import BY_ID

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # Debian's fonts-dejavu-core
TITLES = {"funnel": ("The funnel in brief",
                     "Stage events dated in the period, whatever the case's report date (an "
                     "activity view)."),
          "training": ("Training", "Different people with a session in the period."),
          "outreach": ("Outreach and referrals",
                       "Attendance at community sessions, and reports to the 116 helpline or "
                       "a referral desk, in the period.")}
VALUE_COLUMN = {"funnel": "cases", "training": "people", "outreach": "value"}
LABELS = {m: BY_ID[m].label for measures in SECTIONS.values() for m in measures}
DEMO_NOTICE = ("Synthetic demo data. Every case, person and figure here is generated; none of "
               "it describes a real child or a real case.")


def place_words(release: Release, names: dict[str, str]) -> str:
    """'All 47 counties', 'Kwale', 'The other 44 counties, together'."""
    chosen = release.counties
    if chosen is None or len(chosen) == len(names):
        return f"All {len(names)} counties"
    if len(chosen) == 1:
        return names.get(chosen[0], chosen[0])
    return f"The other {len(chosen)} counties, together"


def chart_png(chart: alt.TopLevelMixin, width: int = 520) -> bytes:
    spec = chart.properties(width=width).to_dict()
    return vl_convert.vegalite_to_png(spec, scale=2)


class _Pdf(FPDF):
    def __init__(self, footer_text: str):
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.family = "Helvetica"
        if (FONT_DIR / "DejaVuSans.ttf").exists():
            self.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
            self.family = "DejaVu"
        self.set_auto_page_break(True, margin=16)

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, self.text(f"{self.footer_text} · page {self.page_no()}"), align="C")

    def text(self, words: str) -> str:
        """Words the core font can draw when DejaVu is missing (dashes and the like)."""
        if self.family == "DejaVu":
            return words
        return (words.replace("–", "-").replace("—", "-").replace("·", "-")
                .encode("latin-1", "replace").decode("latin-1"))

    def para(self, words: str, size: float = 10, bold: bool = False, colour: int = 0,
             fill: bool = False):
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(colour)
        self.multi_cell(0, size * 0.5, self.text(words), new_x="LMARGIN", new_y="NEXT",
                        fill=fill, padding=2 if fill else 0)
        self.ln(1.5)

    def grid(self, table, widths: tuple[int, ...]):
        self.set_font(self.family, "", 9)
        self.set_text_color(0)
        head = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        with self.table(col_widths=widths, headings_style=head, line_height=5.5,
                        text_align="LEFT") as grid:
            for row in [table.columns, *table.iter_rows()]:
                cells = grid.row()
                for value in row:
                    cells.cell(self.text(str(value)))
        self.ln(3)


def summary_pdf(release: Release, names: dict[str, str]) -> bytes:
    """The summary of ``release`` (page 'summary') as PDF bytes."""
    tables, threshold = release.tables, release.suppressed_below or 0
    period = key_words(_period_code(release))
    place = place_words(release, names)
    pdf = _Pdf(f"Haki quarterly summary · {period} · {place}")
    pdf.add_page()
    pdf.para("Haki — quarterly summary", 18, bold=True)
    pdf.para(f"{period} ({fmt.period(release.start, release.end)}) · {place}", 12)
    pdf.para(f"Generated {release.generated_at:%d %b %Y %H:%M} UTC for {release.username} · "
             f"data last loaded {fmt.day(release.data_last_loaded)}", 9, colour=70)
    if release.demo:
        pdf.set_fill_color(255, 243, 205)
        pdf.para(DEMO_NOTICE, 10, bold=True, colour=110, fill=True)
        pdf.set_fill_color(255)
    if threshold:
        pdf.para(rule_words(threshold), 9, colour=70)
    if release.counties is not None and len(release.counties) > 1:
        pdf.para("No targets are set for the other counties together.", 9, colour=70)

    pdf.para("Indicators against their targets", 13, bold=True)
    pdf.para(status_rule_words(), 8.5, colour=70)
    headline = tables["headline"]
    pdf.grid(indicators_table(headline, threshold).drop("Code"), (70, 30, 26, 28, 36))
    if headline["pct_of_target"].is_not_null().any():
        pdf.image(io.BytesIO(chart_png(against_targets(headline))), w=170)
    for name, (title, note) in TITLES.items():
        bars, table = section_rows(tables[name], VALUE_COLUMN[name], LABELS, threshold)
        pdf.para(title, 13, bold=True)
        pdf.para(note, 9, colour=70)
        pdf.grid(table, (110, 80))
        if name == "funnel":
            pdf.image(io.BytesIO(chart_png(figures_bars(bars, "cases", "Cases"))), w=150)
    return bytes(pdf.output())


def _period_code(release: Release) -> str:
    if release.start.month == 1 and release.end.month == 12:
        return str(release.start.year)
    return f"{release.start.year}-Q{(release.start.month - 1) // 3 + 1}"

