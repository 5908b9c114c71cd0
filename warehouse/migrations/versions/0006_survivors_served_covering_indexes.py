"""service days: the previous service row's day whatever the service (survivors served
without DISTINCT); covering indexes for the cases and hotline reports of a period

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 12:45:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

CASE_ATTRIBUTES = ['consent_documented', 'victim_age_band', 'victim_sex', 'offence',
                   'referral_source']


def upgrade() -> None:
    with op.batch_alter_table('service_days', schema=None) as batch_op:
        batch_op.add_column(sa.Column('previous_any_on', sa.Date(), nullable=True))
    # Filled for the data already loaded, as warehouse.maintained_counts defines it at this
    # revision (written out here so the migration never changes with later code).
    op.execute(
        "UPDATE service_days SET previous_any_on = p.previous_any_on FROM ("
        "SELECT case_key, service, provided_on, LAG(provided_on) OVER "
        "(PARTITION BY case_key ORDER BY provided_on, service) AS previous_any_on "
        "FROM services) AS p WHERE service_days.case_key = p.case_key "
        "AND service_days.service = p.service AND service_days.provided_on = p.provided_on"
    )
    with op.batch_alter_table('service_days', schema=None) as batch_op:
        batch_op.create_index('ix_service_days_county_day_any', ['county_code', 'provided_on', 'previous_any_on'], unique=False)
        batch_op.create_index('ix_service_days_day_any', ['provided_on', 'county_code', 'previous_any_on'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_county_code_reported_on'))
        batch_op.create_index('ix_cases_county_reported_cover', ['county_code', 'reported_on', *CASE_ATTRIBUTES], unique=False)
        batch_op.drop_index(batch_op.f('ix_cases_reported_on'))
        batch_op.create_index('ix_cases_reported_cover', ['reported_on', 'county_code', *CASE_ATTRIBUTES], unique=False)

    with op.batch_alter_table('hotline_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hotline_reports_county_code_received_on'))
        batch_op.create_index('ix_hotline_reports_county_received_cover', ['county_code', 'received_on', 'category', 'referred_to', 'channel', 'case_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('hotline_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_hotline_reports_county_received_cover')
        batch_op.create_index(batch_op.f('ix_hotline_reports_county_code_received_on'), ['county_code', 'received_on'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_reported_cover')
        batch_op.create_index(batch_op.f('ix_cases_reported_on'), ['reported_on'], unique=False)
        batch_op.drop_index('ix_cases_county_reported_cover')
        batch_op.create_index(batch_op.f('ix_cases_county_code_reported_on'), ['county_code', 'reported_on'], unique=False)

    with op.batch_alter_table('service_days', schema=None) as batch_op:
        batch_op.drop_index('ix_service_days_day_any')
        batch_op.drop_index('ix_service_days_county_day_any')
        batch_op.drop_column('previous_any_on')
