"""The upload page's tables: what a reader sees of a report, and nothing it must not see."""

from __future__ import annotations

from ui.upload import messages, problems_table, summary_table
from warehouse.ingest import FileReport, RunReport
from warehouse.ingest.report import Problem


def _report(dry_run: bool) -> RunReport:
    many = Problem("not_a_date", "occurred_on", 25, list(range(2, 27)))
    row = Problem("extra_fields", "", 1, [40])
    files = [
        FileReport("case_events.csv", "case_events", "ab" * 32, "partial", rows_read=30,
                   rows_valid=4, rows_rejected=26, rows_loaded=0 if dry_run else 4,
                   problems=[many, row], dropped_columns=["notes"],
                   unknown_columns=["Officer"], notes=["2 blank line(s) skipped"]),
        FileReport("x.csv", None, None, "unreadable", message="the file is empty"),
    ]
    return RunReport(files, dry_run=dry_run)


def test_summary_says_what_will_happen_then_what_did():
    check = summary_table(_report(dry_run=True))
    assert "Loaded" not in check.columns
    assert check["Status"].to_list() == ["has rejected rows", "could not be read"]
    done = summary_table(_report(dry_run=False))
    assert done["Loaded"].to_list() == [4, 0]
    assert done["Status"].to_list() == ["valid rows loaded, rejected rows left out",
                                        "could not be read"]


def test_problems_list_lines_and_say_how_many_more():
    table = problems_table(_report(dry_run=True))
    assert table.rows() == [
        ("case_events.csv", "not_a_date", "occurred_on", 25,
         ", ".join(map(str, range(2, 22))) + " … and 5 more",
         "not a date written YYYY-MM-DD or DD/MM/YYYY"),
        ("case_events.csv", "extra_fields", "(the row)", 1, "40",
         "the row has more fields than the header (a comma in a value that is not quoted?)"),
    ]


def test_messages_name_columns_and_files_only():
    assert messages(_report(dry_run=True)) == [
        "case_events.csv: DROP columns discarded unread: notes",
        "case_events.csv: columns not in the template, discarded unread: Officer",
        "case_events.csv: 2 blank line(s) skipped",
        "x.csv: the file is empty",
    ]
