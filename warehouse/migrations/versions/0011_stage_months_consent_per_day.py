"""the stage events by county, month and stage (stage_months), so that a stage measure sums
a few rows per county and month for its whole months; the cases reported per county and day
with consent documented (caseload_days, from the consent copied onto the milestones), so
that the consent indicator sums a few rows a day instead of reading every case reported

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

# As warehouse.maintained and warehouse.maintained_progress define them at this revision,
# written out so that the migration never changes with later code
# (tests/warehouse/test_migration_0011.py checks the result equals a rebuild).
COPY_CONSENT = (
    "UPDATE case_milestones SET consent_documented = cases.consent_documented FROM cases "
    "WHERE cases.case_key = case_milestones.case_key")
COUNT_PER_DAY = (
    "UPDATE caseload_days SET consent_documented = per_day.n FROM "
    "(SELECT county_code, reported_on, COUNT(*) AS n FROM case_milestones "
    "WHERE consent_documented IS TRUE GROUP BY county_code, reported_on) AS per_day "
    "WHERE per_day.county_code = caseload_days.county_code "
    "AND per_day.reported_on = caseload_days.day")
STAGE_MONTHS = (
    "INSERT INTO stage_months (county_code, occurred_month, stage, events) "
    "SELECT county_code, {month}, stage, CAST(SUM(n) AS INTEGER) FROM "
    "(SELECT county_code, stage, occurred_on, COUNT(*) AS n FROM case_events "
    "GROUP BY county_code, stage, occurred_on) AS per_day "
    "GROUP BY county_code, {month}, stage")
MONTH = {"sqlite": "strftime('%Y-%m', occurred_on)",
         "postgresql": "to_char(occurred_on, 'YYYY-MM')"}


def upgrade() -> None:
    op.add_column('case_milestones', sa.Column('consent_documented', sa.Boolean(),
                                               nullable=True))
    op.add_column('caseload_days', sa.Column('consent_documented', sa.Integer(),
                                             server_default='0', nullable=False))
    op.execute(COPY_CONSENT)
    op.execute(COUNT_PER_DAY)
    op.create_table('stage_months',
                    sa.Column('county_code', sa.String(length=3), nullable=False),
                    sa.Column('occurred_month', sa.String(length=7), nullable=False),
                    sa.Column('stage', sa.String(length=30), nullable=False),
                    sa.Column('events', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['county_code'], ['counties.code'],
                                            name=op.f('fk_stage_months_county_code_counties')),
                    sa.PrimaryKeyConstraint('county_code', 'occurred_month', 'stage',
                                            name=op.f('pk_stage_months')))
    op.execute(STAGE_MONTHS.format(month=MONTH[op.get_bind().dialect.name]))
    op.create_index('ix_stage_months_month', 'stage_months',
                    ['occurred_month', 'stage', 'county_code', 'events'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_stage_months_month', table_name='stage_months')
    op.drop_table('stage_months')
    with op.batch_alter_table('caseload_days') as batch_op:
        batch_op.drop_column('consent_documented')
    with op.batch_alter_table('case_milestones') as batch_op:
        batch_op.drop_column('consent_documented')
