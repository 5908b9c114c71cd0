"""The contract's rules for the steps of one case, judged over the file and the warehouse.

A case's steps are what the warehouse holds for it, with the file's rows in place of
the stored rows they correct. Only the file's rows can be rejected: when a rule is
broken by a stored step and a new one, the new one is. Rejecting a row can break a
rule that held with it (a verdict whose judgment was rejected), so the rules are
applied again to the rows that remain until no more are rejected.
"""

from __future__ import annotations

import polars as pl

from warehouse import vocab

RANK = {s: i for i, s in enumerate(vocab.PROGRESSION_STAGES)}
KEY = ["case_key", "stage"]
STEP = ["_row", "case_key", "stage", "occurred_on"]


def stage_flags(new: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """(_row, rule, column) for the file's steps that break a stage rule.

    ``new``: _row, case_key, stage, occurred_on (the file's rows that passed every other
    rule); ``stored``: case_key, stage, occurred_on (the warehouse's steps of those cases).
    """
    stored = stored.with_columns(pl.lit(None, pl.Int64).alias("_row")).select(STEP)
    remaining, found = new.select(STEP), []
    for _ in range(len(vocab.STAGES) + 1):
        steps = pl.concat([stored.join(remaining, on=KEY, how="anti"), remaining])
        bad = _broken(steps)
        if bad.is_empty():
            break
        found.append(bad)
        remaining = remaining.filter(~pl.col("_row").is_in(bad["_row"].implode()))
    if not found:
        return pl.DataFrame(schema={"_row": pl.Int64, "rule": pl.String, "column": pl.String})
    return pl.concat(found).unique()


def _broken(steps: pl.DataFrame) -> pl.DataFrame:
    """One pass of every rule; the new rows (those with a _row) that break one."""
    flags = [
        _pairs(steps, "stage_order", "occurred_on", _progression, _progression,
               (pl.col("rank") < pl.col("rank_b")) & (pl.col("occurred_on") >
                                                       pl.col("occurred_on_b"))),
        _pairs(steps, "after_case_ended", "occurred_on", _progression, _exit,
               pl.col("occurred_on") > pl.col("occurred_on_b")),
        _pairs(steps, "verdict_without_judgment", "stage", _judgment, _verdict,
               pl.col("occurred_on") > pl.col("occurred_on_b")),
        _pairs(steps, "exit_with_judgment", "stage", _judged, _exit, pl.lit(True)),
        _verdicts_alone(steps),
        _second_terminal(steps),
    ]
    return pl.concat(flags).filter(pl.col("_row").is_not_null()).unique()


def _progression(steps):
    return steps.filter(pl.col("stage").is_in(vocab.PROGRESSION_STAGES)).with_columns(
        pl.col("stage").replace_strict(RANK, return_dtype=pl.Int64).alias("rank"))


def _exit(steps):
    return steps.filter(pl.col("stage").is_in(vocab.EXIT_STAGES))


def _verdict(steps):
    return steps.filter(pl.col("stage").is_in(vocab.VERDICT_STAGES))


def _judgment(steps):
    return steps.filter(pl.col("stage") == "judgment")


def _judged(steps):
    return steps.filter(pl.col("stage").is_in(("judgment", *vocab.VERDICT_STAGES)))


def _pairs(steps, rule, column, left, right, broken: pl.Expr) -> pl.DataFrame:
    """Both rows of every pair (a from ``left``, b from ``right``, same case) that breaks."""
    a, b = left(steps), right(steps)
    pairs = a.join(b, on="case_key", suffix="_b").filter(
        broken & (pl.col("stage") != pl.col("stage_b")))
    rows = pl.concat([pairs.select("_row"), pairs.select(pl.col("_row_b").alias("_row"))])
    return _flag(rows, rule, column)


def _verdicts_alone(steps):
    """A verdict whose case has no judgment at all."""
    judged = _judgment(steps).select("case_key")
    rows = _verdict(steps).join(judged, on="case_key", how="anti").select("_row")
    return _flag(rows, "verdict_without_judgment", "stage")


def _second_terminal(steps):
    terminal = steps.filter(pl.col("stage").is_in(vocab.TERMINAL_STAGES))
    rows = terminal.filter(pl.len().over("case_key") > 1).select("_row")
    return _flag(rows, "second_terminal_stage", "stage")


def _flag(rows: pl.DataFrame, rule: str, column: str) -> pl.DataFrame:
    return rows.select(
        pl.col("_row").cast(pl.Int64), pl.lit(rule).alias("rule"), pl.lit(column).alias("column"))
