"""the cohort summaries also keep the days from report to first service
(cohort_duration_months, interval 'report_to_service'), and a case's latest day
(cohort_months.latest_on) counts its first service

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 17:45:00.000000
"""

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# As warehouse.maintained_cohort defines them at this revision, written out so that the
# migration never changes with later code (tests/warehouse/test_migration_0008.py checks
# the result equals a rebuild). Both statements only add to what 0007 wrote.
STAGES = ('reported', 'investigation_opened', 'suspect_arrested', 'charged', 'trial_started',
          'judgment')


def _month(sqlite: bool, col: str) -> str:
    return f"strftime('%Y-%m', {col})" if sqlite else f"to_char({col}, 'YYYY-MM')"


def _on(stage: str) -> str:
    return 'm.reported_on' if stage == 'reported' else f'm.{stage}_on'


def _cohort_months(sqlite: bool, with_service: bool) -> str:
    """cohort_months from the milestones; a case's latest day counts its first service
    (this revision) or not (0007's)."""
    later_first = list(reversed(STAGES[1:]))
    reached = ('CASE ' + ' '.join(f"WHEN {_on(s)} IS NOT NULL THEN '{s}'" for s in later_first)
               + " ELSE 'reported' END")
    reached_on = ('CASE ' + ' '.join(f'WHEN {_on(s)} IS NOT NULL THEN {_on(s)}'
                                      for s in later_first) + ' ELSE m.reported_on END')
    dates = [_on(s) for s in STAGES[1:]] + ['m.terminal_on'] + (
        ['m.first_service_on'] if with_service else [])
    latest = (('max' if sqlite else 'greatest') + '(m.reported_on, '
              + ', '.join(f'COALESCE({d}, m.reported_on)' for d in dates) + ')')
    return (
        "INSERT INTO cohort_months (county_code, reported_month, reached, terminal_stage, "
        "waiting_since, cases, latest_on) SELECT county_code, reported_month, reached, "
        "terminal_stage, waiting_since, COUNT(*), MAX(latest_on) FROM ("
        f"SELECT m.county_code, {_month(sqlite, 'm.reported_on')} AS reported_month, "
        f"{reached} AS reached, "
        "CASE WHEN m.terminal_on IS NOT NULL THEN m.terminal_stage END AS terminal_stage, "
        f"CASE WHEN m.terminal_on IS NULL THEN {reached_on} END AS waiting_since, "
        f"{latest} AS latest_on FROM case_milestones m) AS standing "
        "GROUP BY county_code, reported_month, reached, terminal_stage, waiting_since")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    days = ('CAST(julianday(m.first_service_on) - julianday(m.reported_on) AS INTEGER)'
            if sqlite else '(m.first_service_on - m.reported_on)')
    op.execute('DELETE FROM cohort_months')
    op.execute(_cohort_months(sqlite, with_service=True))
    op.execute(
        "INSERT INTO cohort_duration_months (county_code, reported_month, \"interval\", days, "
        "cases) SELECT county_code, reported_month, 'report_to_service', days, COUNT(*) FROM ("
        f"SELECT m.county_code, {_month(sqlite, 'm.reported_on')} AS reported_month, "
        f"{days} AS days FROM case_milestones m WHERE m.first_service_on IS NOT NULL"
        ") AS services GROUP BY county_code, reported_month, days")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.execute("DELETE FROM cohort_duration_months WHERE \"interval\" = 'report_to_service'")
    op.execute('DELETE FROM cohort_months')
    op.execute(_cohort_months(sqlite, with_service=False))
