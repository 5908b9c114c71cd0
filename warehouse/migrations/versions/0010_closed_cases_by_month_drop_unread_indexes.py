"""the cases that end after a day, by county, report day and month of their terminal event
(closed_case_months, for the open caseload by age on a past day); drop the indexes no
statement reads any more: hearings by day, services by day and by county and day (pages
read hearing_days, service_days and service_months; a refresh reads services by case);
hearings by county and day covering what hearing_days counts; service days by county and
by day in two covering indexes instead of four

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 23:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# As warehouse.maintained_progress defines it at this revision, written out so that the
# migration never changes with later code (tests/warehouse/test_migration_0010.py checks
# the result equals a rebuild).
FILL = (
    "INSERT INTO closed_case_months (county_code, reported_on, terminal_month, cases) "
    "SELECT county_code, reported_on, {month}, COUNT(*) FROM case_milestones "
    "WHERE terminal_on IS NOT NULL GROUP BY county_code, reported_on, {month}")
HEARINGS_COVER = ['county_code', 'hearing_on', 'court_station_id', 'adjournment_reason',
                  'survivor_testified', 'measure_in_camera', 'measure_intermediary',
                  'measure_screen', 'measure_video_link', 'measure_support_person']
SERVICE_DAYS_OLD = {
    'ix_service_days_county_day': ['county_code', 'provided_on', 'service', 'previous_on'],
    'ix_service_days_day': ['provided_on', 'service', 'previous_on', 'county_code'],
    'ix_service_days_county_day_any': ['county_code', 'provided_on', 'previous_any_on'],
    'ix_service_days_day_any': ['provided_on', 'county_code', 'previous_any_on'],
}
SERVICE_DAYS_NEW = {
    'ix_service_days_county_cover': ['county_code', 'provided_on', 'service', 'previous_on',
                                     'previous_any_on'],
    'ix_service_days_day_cover': ['provided_on', 'service', 'previous_on', 'county_code',
                                  'previous_any_on'],
}
MONTH = {"sqlite": "strftime('%Y-%m', terminal_on)",
         "postgresql": "to_char(terminal_on, 'YYYY-MM')"}


def upgrade() -> None:
    op.create_table('closed_case_months',
                    sa.Column('county_code', sa.String(length=3), nullable=False),
                    sa.Column('reported_on', sa.Date(), nullable=False),
                    sa.Column('terminal_month', sa.String(length=7), nullable=False),
                    sa.Column('cases', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['county_code'], ['counties.code'],
                                            name=op.f('fk_closed_case_months_county_code_counties')),
                    sa.PrimaryKeyConstraint('county_code', 'reported_on', 'terminal_month',
                                            name=op.f('pk_closed_case_months')))
    op.execute(FILL.format(month=MONTH[op.get_bind().dialect.name]))
    op.create_index('ix_closed_case_months_terminal', 'closed_case_months',
                    ['terminal_month', 'reported_on', 'county_code', 'cases'], unique=False)
    op.drop_index('ix_hearings_hearing_on', table_name='hearings')
    op.drop_index('ix_hearings_county_code_hearing_on', table_name='hearings')
    op.create_index('ix_hearings_county_day_cover', 'hearings', HEARINGS_COVER, unique=False)
    op.drop_index('ix_services_provided_on', table_name='services')
    op.drop_index('ix_services_county_code_provided_on', table_name='services')
    _replace_indexes('service_days', SERVICE_DAYS_OLD, SERVICE_DAYS_NEW)


def _replace_indexes(table: str, old: dict, new: dict) -> None:
    for name in old:
        op.drop_index(name, table_name=table)
    for name, columns in new.items():
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    _replace_indexes('service_days', SERVICE_DAYS_NEW, SERVICE_DAYS_OLD)
    op.create_index('ix_services_county_code_provided_on', 'services',
                    ['county_code', 'provided_on'], unique=False)
    op.create_index('ix_services_provided_on', 'services', ['provided_on'], unique=False)
    op.create_index('ix_hearings_hearing_on', 'hearings', ['hearing_on'], unique=False)
    op.drop_index('ix_hearings_county_day_cover', table_name='hearings')
    op.create_index('ix_hearings_county_code_hearing_on', 'hearings',
                    ['county_code', 'hearing_on'], unique=False)
    op.drop_index('ix_closed_case_months_terminal', table_name='closed_case_months')
    op.drop_table('closed_case_months')
