"""cohort summaries by county and report month (cohort_months, cohort_attribute_months,
cohort_duration_months) and hotline reports by county and month (hotline_months)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 14:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

TABLES = ('cohort_months', 'cohort_attribute_months', 'cohort_duration_months',
          'hotline_months')


def _county_month(month: str) -> list:
    return [sa.Column('county_code', sa.String(length=3), nullable=False),
            sa.Column(month, sa.String(length=7), nullable=False)]


def _indexes(table: str, month: str) -> None:
    op.create_index(f'ix_{table}_month', table, [month, 'county_code'], unique=False)
    op.create_index(f'ix_{table}_county', table, ['county_code', month], unique=False)


def _fk(table: str):
    return sa.ForeignKeyConstraint(['county_code'], ['counties.code'],
                                   name=op.f(f'fk_{table}_county_code_counties'))


def upgrade() -> None:
    op.create_table('cohort_months', *_county_month('reported_month'),
                    sa.Column('reached', sa.String(length=30), nullable=False),
                    sa.Column('terminal_stage', sa.String(length=30), nullable=True),
                    sa.Column('waiting_since', sa.Date(), nullable=True),
                    sa.Column('cases', sa.Integer(), nullable=False),
                    sa.Column('latest_on', sa.Date(), nullable=False),
                    _fk('cohort_months'))
    op.create_table('cohort_attribute_months', *_county_month('reported_month'),
                    sa.Column('dimension', sa.String(length=20), nullable=False),
                    sa.Column('value', sa.String(length=40), nullable=False),
                    sa.Column('reported', sa.Integer(), nullable=False),
                    sa.Column('charged', sa.Integer(), nullable=False),
                    sa.Column('convicted', sa.Integer(), nullable=False),
                    _fk('cohort_attribute_months'))
    op.create_table('cohort_duration_months', *_county_month('reported_month'),
                    sa.Column('interval', sa.String(length=20), nullable=False),
                    sa.Column('days', sa.Integer(), nullable=False),
                    sa.Column('cases', sa.Integer(), nullable=False),
                    _fk('cohort_duration_months'))
    op.create_table('hotline_months', *_county_month('received_month'),
                    sa.Column('category', sa.String(length=30), nullable=False),
                    sa.Column('channel', sa.String(length=20), nullable=False),
                    sa.Column('referred_to', sa.String(length=30), nullable=False),
                    sa.Column('reports', sa.Integer(), nullable=False),
                    sa.Column('linked_to_case', sa.Integer(), nullable=False),
                    _fk('hotline_months'))
    sqlite = op.get_bind().dialect.name == 'sqlite'
    for statement in fill(sqlite):
        op.execute(statement)
    for table in TABLES:
        _indexes(table, 'received_month' if table == 'hotline_months' else 'reported_month')


# The summaries of the rows already loaded, as warehouse.maintained_cohort and
# warehouse.maintained_hotline define them at this revision (as of the end of time: every
# event the cases have so far), written out so that the migration never changes with later
# code. tests/warehouse/test_migration_0007.py checks they equal a rebuild.
STAGES = ('reported', 'investigation_opened', 'suspect_arrested', 'charged', 'trial_started',
          'judgment')
INTERVALS = (('report_to_charge', 'reported', 'charged'),
             ('charge_to_judgment', 'charged', 'judgment'),
             ('report_to_judgment', 'reported', 'judgment'))
DIMENSIONS = ('county_code', 'offence', 'victim_age_band', 'victim_sex', 'referral_source')


def fill(sqlite: bool) -> list[str]:
    def month(col: str) -> str:
        return f"strftime('%Y-%m', {col})" if sqlite else f"to_char({col}, 'YYYY-MM')"

    def on(stage: str) -> str:
        return 'm.reported_on' if stage == 'reported' else f'm.{stage}_on'

    def days(first: str, second: str) -> str:
        return (f'CAST(julianday({on(second)}) - julianday({on(first)}) AS INTEGER)' if sqlite
                else f'({on(second)} - {on(first)})')

    later_first = list(reversed(STAGES[1:]))
    reached = ('CASE ' + ' '.join(f"WHEN {on(s)} IS NOT NULL THEN '{s}'" for s in later_first)
               + " ELSE 'reported' END")
    reached_on = ('CASE ' + ' '.join(f'WHEN {on(s)} IS NOT NULL THEN {on(s)}'
                                      for s in later_first) + ' ELSE m.reported_on END')
    latest = (('max' if sqlite else 'greatest') + '(m.reported_on, '
              + ', '.join(f'COALESCE({on(s)}, m.reported_on)' for s in STAGES[1:])
              + ', COALESCE(m.terminal_on, m.reported_on))')
    charged = "CASE WHEN m.charged_on IS NOT NULL THEN 1 ELSE 0 END"
    convicted = ("CASE WHEN m.terminal_stage = 'convicted' AND m.terminal_on IS NOT NULL "
                 "THEN 1 ELSE 0 END")
    attributes = ' UNION ALL '.join(
        f"SELECT m.county_code, {month('m.reported_on')}, '{d.replace('_code', '')}', m.{d}, "
        f"COUNT(*), SUM({charged}), SUM({convicted}) FROM case_milestones m "
        f"GROUP BY m.county_code, {month('m.reported_on')}, m.{d}"
        for d in DIMENSIONS)
    intervals = ' UNION ALL '.join(
        f"SELECT m.county_code, {month('m.reported_on')} AS reported_month, "
        f"'{name}' AS \"interval\", {days(first, second)} AS days FROM case_milestones m "
        f"WHERE {on(first)} IS NOT NULL AND {on(second)} IS NOT NULL"
        for name, first, second in INTERVALS)
    return [
        "INSERT INTO cohort_months (county_code, reported_month, reached, terminal_stage, "
        "waiting_since, cases, latest_on) SELECT county_code, reported_month, reached, "
        "terminal_stage, waiting_since, COUNT(*), MAX(latest_on) FROM ("
        f"SELECT m.county_code, {month('m.reported_on')} AS reported_month, {reached} AS reached, "
        "CASE WHEN m.terminal_on IS NOT NULL THEN m.terminal_stage END AS terminal_stage, "
        f"CASE WHEN m.terminal_on IS NULL THEN {reached_on} END AS waiting_since, "
        f"{latest} AS latest_on FROM case_milestones m) AS standing "
        "GROUP BY county_code, reported_month, reached, terminal_stage, waiting_since",
        "INSERT INTO cohort_attribute_months (county_code, reported_month, dimension, value, "
        f"reported, charged, convicted) {attributes}",
        "INSERT INTO cohort_duration_months (county_code, reported_month, \"interval\", days, "
        "cases) SELECT county_code, reported_month, \"interval\", days, COUNT(*) FROM ("
        f"{intervals}) AS intervals GROUP BY county_code, reported_month, \"interval\", days",
        "INSERT INTO hotline_months (county_code, received_month, category, channel, "
        "referred_to, reports, linked_to_case) SELECT h.county_code, "
        f"{month('h.received_on')}, h.category, h.channel, h.referred_to, COUNT(*), "
        "SUM(CASE WHEN c.case_key IS NOT NULL THEN 1 ELSE 0 END) FROM hotline_reports h "
        "LEFT OUTER JOIN cases c ON c.case_key = h.case_key GROUP BY h.county_code, "
        f"{month('h.received_on')}, h.category, h.channel, h.referred_to",
    ]


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f'ix_{table}_county', table_name=table)
        op.drop_index(f'ix_{table}_month', table_name=table)
        op.drop_table(table)
