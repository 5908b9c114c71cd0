"""the survivors served by county and month (service_months): the service rows by the month
they are in and the month of the case's service row before them

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-28 21:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# As warehouse.maintained_service_months defines it at this revision (counted by day, then
# by month), written out so that the migration never changes with later code
# (tests/warehouse/test_migration_0009.py checks the result equals a rebuild).
FILL_SQLITE = (
    "INSERT INTO service_months (county_code, provided_month, previous_month, service_rows) "
    "SELECT county_code, strftime('%Y-%m', provided_on), strftime('%Y-%m', previous_any_on), "
    "CAST(SUM(n) AS INTEGER) FROM "
    "(SELECT county_code, provided_on, previous_any_on, COUNT(*) AS n FROM service_days "
    "GROUP BY county_code, provided_on, previous_any_on) AS per_day "
    "GROUP BY county_code, strftime('%Y-%m', provided_on), strftime('%Y-%m', previous_any_on)")
FILL_POSTGRESQL = (
    "INSERT INTO service_months (county_code, provided_month, previous_month, service_rows) "
    "SELECT county_code, to_char(provided_on, 'YYYY-MM'), to_char(previous_any_on, 'YYYY-MM'), "
    "CAST(SUM(n) AS INTEGER) FROM "
    "(SELECT county_code, provided_on, previous_any_on, COUNT(*) AS n FROM service_days "
    "GROUP BY county_code, provided_on, previous_any_on) AS per_day "
    "GROUP BY county_code, to_char(provided_on, 'YYYY-MM'), to_char(previous_any_on, 'YYYY-MM')")


def upgrade() -> None:
    op.create_table('service_months',
                    sa.Column('county_code', sa.String(length=3), nullable=False),
                    sa.Column('provided_month', sa.String(length=7), nullable=False),
                    sa.Column('previous_month', sa.String(length=7), nullable=True),
                    sa.Column('service_rows', sa.Integer(), nullable=False),
                    sa.ForeignKeyConstraint(['county_code'], ['counties.code'],
                                            name=op.f('fk_service_months_county_code_counties')))
    sqlite = op.get_bind().dialect.name == 'sqlite'
    op.execute(FILL_SQLITE if sqlite else FILL_POSTGRESQL)
    op.create_index('ix_service_months_month', 'service_months',
                    ['provided_month', 'county_code', 'previous_month'], unique=False)
    op.create_index('ix_service_months_county', 'service_months',
                    ['county_code', 'provided_month', 'previous_month'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_service_months_county', table_name='service_months')
    op.drop_index('ix_service_months_month', table_name='service_months')
    op.drop_table('service_months')
