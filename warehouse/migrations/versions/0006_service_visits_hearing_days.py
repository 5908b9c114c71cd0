"""service visits (survivors served without DISTINCT), hearing days (testimony counts), case
flow months (cases open by age) and indexes covering case milestones by report and close

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-28 11:50:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None

MEASURES = ("in_camera", "intermediary", "screen", "video_link", "support_person")


def upgrade() -> None:
    op.create_table('case_flow_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('county_code', sa.String(length=3), nullable=False),
    sa.Column('reported_month', sa.Integer(), nullable=False),
    sa.Column('closed_month', sa.Integer(), nullable=True),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_case_flow_months_county_code_counties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_flow_months')),
    sa.UniqueConstraint('county_code', 'reported_month', 'closed_month', name=op.f('uq_case_flow_months_county_code_reported_month_closed_month'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_county_code_reported_on'))
        batch_op.create_index('ix_cases_county_reported_cover', ['county_code', 'reported_on', 'consent_documented', 'victim_age_band', 'victim_sex', 'offence', 'referral_source'], unique=False)
        batch_op.drop_index(batch_op.f('ix_cases_reported_on'))
        batch_op.create_index('ix_cases_reported_cover', ['reported_on', 'county_code', 'consent_documented', 'victim_age_band', 'victim_sex', 'offence', 'referral_source'], unique=False)

    with op.batch_alter_table('hotline_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hotline_reports_county_code_received_on'))
        batch_op.create_index('ix_hotline_reports_county_received_cover', ['county_code', 'received_on', 'category', 'referred_to', 'channel', 'case_key'], unique=False)

    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_case_milestones_reported_cover', ['reported_on', 'terminal_on', 'county_code'], unique=False)
        batch_op.create_index('ix_case_milestones_terminal_cover', ['terminal_on', 'county_code', 'reported_on'], unique=False)

    op.create_table('hearing_days',
    sa.Column('county_code', sa.String(length=3), nullable=False),
    sa.Column('hearing_on', sa.Date(), nullable=False),
    sa.Column('testified', sa.Integer(), nullable=False),
    sa.Column('any_measure', sa.Integer(), nullable=False),
    sa.Column('in_camera', sa.Integer(), nullable=False),
    sa.Column('intermediary', sa.Integer(), nullable=False),
    sa.Column('screen', sa.Integer(), nullable=False),
    sa.Column('video_link', sa.Integer(), nullable=False),
    sa.Column('support_person', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_hearing_days_county_code_counties')),
    sa.PrimaryKeyConstraint('county_code', 'hearing_on', name=op.f('pk_hearing_days'))
    )
    with op.batch_alter_table('hearing_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_days_hearing_on'), ['hearing_on'], unique=False)

    op.create_table('service_visits',
    sa.Column('case_key', sa.String(length=64), nullable=False),
    sa.Column('service', sa.String(length=30), nullable=False),
    sa.Column('provided_on', sa.Date(), nullable=False),
    sa.Column('county_code', sa.String(length=3), nullable=False),
    sa.Column('previous_on', sa.Date(), nullable=True),
    sa.Column('previous_same_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_key'], ['cases.case_key'], name=op.f('fk_service_visits_case_key_cases')),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_service_visits_county_code_counties')),
    sa.PrimaryKeyConstraint('case_key', 'service', 'provided_on', name=op.f('pk_service_visits'))
    )
    with op.batch_alter_table('service_visits', schema=None) as batch_op:
        batch_op.create_index('ix_service_visits_county_provided_cover', ['county_code', 'provided_on', 'previous_on', 'service', 'previous_same_on'], unique=False)
        batch_op.create_index('ix_service_visits_provided_cover', ['provided_on', 'county_code', 'previous_on', 'service', 'previous_same_on'], unique=False)

    # Filled for the data already loaded, as warehouse.maintained_counts defines them at this
    # revision (written out here so the migration never changes with later code).
    op.execute(
        "INSERT INTO service_visits (case_key, service, provided_on, county_code, previous_on, "
        "previous_same_on) SELECT case_key, service, provided_on, county_code, "
        "LAG(provided_on) OVER (PARTITION BY case_key ORDER BY provided_on, service), "
        "LAG(provided_on) OVER (PARTITION BY case_key, service ORDER BY provided_on) "
        "FROM services"
    )
    closed = ("CASE WHEN terminal_on < reported_on THEN reported_on ELSE terminal_on END")
    if op.get_bind().dialect.name == "sqlite":
        def month(day):
            return (f"(CAST(strftime('%Y', {day}) AS INTEGER) * 12 "
                    f"+ CAST(strftime('%m', {day}) AS INTEGER) - 1)")
    else:
        def month(day):
            return (f"(CAST(EXTRACT(year FROM {day}) AS INTEGER) * 12 "
                    f"+ CAST(EXTRACT(month FROM {day}) AS INTEGER) - 1)")
    op.execute(
        "INSERT INTO case_flow_months (county_code, reported_month, closed_month, cases) "
        f"SELECT county_code, {month('reported_on')}, {month(closed)}, COUNT(*) "
        f"FROM case_milestones GROUP BY county_code, {month('reported_on')}, {month(closed)}"
    )
    flags = [f"measure_{m} = TRUE" for m in MEASURES]
    op.execute(
        "INSERT INTO hearing_days (county_code, hearing_on, testified, any_measure, "
        + ", ".join(MEASURES) + ") SELECT county_code, hearing_on, COUNT(*), "
        + f"COUNT(CASE WHEN {' OR '.join(flags)} THEN 1 END), "
        + ", ".join(f"COUNT(CASE WHEN {f} THEN 1 END)" for f in flags)
        + " FROM hearings WHERE survivor_testified = TRUE GROUP BY county_code, hearing_on"
    )


def downgrade() -> None:
    with op.batch_alter_table('service_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_service_visits_provided_cover')
        batch_op.drop_index('ix_service_visits_county_provided_cover')

    op.drop_table('service_visits')
    with op.batch_alter_table('hearing_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_days_hearing_on'))

    op.drop_table('hearing_days')
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_case_milestones_terminal_cover')
        batch_op.drop_index('ix_case_milestones_reported_cover')

    op.drop_table('case_flow_months')
    with op.batch_alter_table('hotline_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_hotline_reports_county_received_cover')
        batch_op.create_index(batch_op.f('ix_hotline_reports_county_code_received_on'), ['county_code', 'received_on'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_county_reported_cover')
        batch_op.drop_index('ix_cases_reported_cover')
        batch_op.create_index(batch_op.f('ix_cases_reported_on'), ['reported_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_county_code_reported_on'), ['county_code', 'reported_on'], unique=False)
