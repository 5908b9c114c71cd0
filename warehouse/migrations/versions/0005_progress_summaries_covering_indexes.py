"""case progress summaries (hearing_days, service_days, caseload_days), case attributes and
covering indexes on case_milestones, the county on the case events' stage index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 11:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

ATTRIBUTES = (("offence", 40), ("victim_age_band", 5), ("victim_sex", 10),
              ("referral_source", 30))
MEASURES = ("in_camera", "intermediary", "screen", "video_link", "support_person")
COHORT = ["county_code", "reported_on", "terminal_on", "terminal_stage",
          "investigation_opened_on", "suspect_arrested_on", "charged_on", "trial_started_on",
          "judgment_on", "first_service_on", "offence", "victim_age_band", "victim_sex",
          "referral_source"]


def upgrade() -> None:
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        for name, length in ATTRIBUTES:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=True))
        batch_op.drop_index('ix_case_milestones_county_code_reported_on')
        batch_op.drop_index('ix_case_milestones_reported_on')
    op.execute(
        "UPDATE case_milestones SET "
        + ", ".join(f"{a} = (SELECT cases.{a} FROM cases "
                    f"WHERE cases.case_key = case_milestones.case_key)" for a, _ in ATTRIBUTES))
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.create_index('ix_case_milestones_cohort', COHORT, unique=False)
        batch_op.create_index('ix_case_milestones_closing',
                              ['terminal_on', 'reported_on', 'county_code'], unique=False)

    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_stage_occurred_on')
        batch_op.create_index('ix_case_events_stage_occurred_on_county_code',
                              ['stage', 'occurred_on', 'county_code'], unique=False)

    op.create_table('hearing_days',
    sa.Column('county_code', sa.String(length=3), nullable=False),
    sa.Column('hearing_on', sa.Date(), nullable=False),
    sa.Column('court_station_id', sa.Integer(), nullable=False),
    sa.Column('adjournment_reason', sa.String(length=30), nullable=True),
    sa.Column('hearings', sa.Integer(), nullable=False),
    sa.Column('testified', sa.Integer(), nullable=False),
    sa.Column('testified_any_measure', sa.Integer(), nullable=False),
    *[sa.Column(f'testified_{m}', sa.Integer(), nullable=False) for m in MEASURES],
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_hearing_days_county_code_counties')),
    sa.ForeignKeyConstraint(['court_station_id'], ['court_stations.id'], name=op.f('fk_hearing_days_court_station_id_court_stations')),
    )
    op.create_index(op.f('ix_hearing_days_hearing_on'), 'hearing_days', ['hearing_on'], unique=False)
    op.create_index(op.f('ix_hearing_days_county_code_hearing_on'), 'hearing_days', ['county_code', 'hearing_on'], unique=False)

    op.create_table('service_days',
    sa.Column('case_key', sa.String(length=64), nullable=False),
    sa.Column('service', sa.String(length=30), nullable=False),
    sa.Column('provided_on', sa.Date(), nullable=False),
    sa.Column('county_code', sa.String(length=3), nullable=False),
    sa.Column('previous_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['case_key'], ['cases.case_key'], name=op.f('fk_service_days_case_key_cases')),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_service_days_county_code_counties')),
    sa.PrimaryKeyConstraint('case_key', 'service', 'provided_on', name=op.f('pk_service_days'))
    )
    op.create_index('ix_service_days_county_day', 'service_days', ['county_code', 'provided_on', 'service', 'previous_on'], unique=False)
    op.create_index('ix_service_days_day', 'service_days', ['provided_on', 'service', 'previous_on', 'county_code'], unique=False)

    op.create_table('caseload_days',
    sa.Column('county_code', sa.String(length=3), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('opened', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Integer(), nullable=False),
    sa.Column('never_closed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['county_code'], ['counties.code'], name=op.f('fk_caseload_days_county_code_counties')),
    sa.PrimaryKeyConstraint('county_code', 'day', name=op.f('pk_caseload_days'))
    )
    for statement in FILL:
        op.execute(statement)


# The summaries of the rows already loaded, as warehouse.maintained_progress defines them
# at this revision (written out so that the migration never changes with later code).
_TESTIFIED = "CASE WHEN h.survivor_testified AND ({}) THEN 1 END"
_CLOSED_FROM = ("CASE WHEN m.terminal_on < m.reported_on THEN m.reported_on "
                "ELSE m.terminal_on END")
FILL = (
    "INSERT INTO hearing_days (county_code, hearing_on, court_station_id, adjournment_reason, "
    "hearings, testified, testified_any_measure, "
    + ", ".join(f"testified_{m}" for m in MEASURES) + ") "
    "SELECT h.county_code, h.hearing_on, h.court_station_id, h.adjournment_reason, COUNT(*), "
    "COUNT(CASE WHEN h.survivor_testified THEN 1 END), "
    f"COUNT({_TESTIFIED.format(' OR '.join(f'h.measure_{m}' for m in MEASURES))}), "
    + ", ".join(f"COUNT({_TESTIFIED.format(f'h.measure_{m}')})" for m in MEASURES)
    + " FROM hearings h "
    "GROUP BY h.county_code, h.hearing_on, h.court_station_id, h.adjournment_reason",
    "INSERT INTO service_days (case_key, service, provided_on, county_code, previous_on) "
    "SELECT s.case_key, s.service, s.provided_on, s.county_code, LAG(s.provided_on) OVER "
    "(PARTITION BY s.case_key, s.service ORDER BY s.provided_on) FROM services s",
    "INSERT INTO caseload_days (county_code, day, opened, closed, never_closed) "
    "SELECT county_code, day, SUM(opened), SUM(closed), SUM(never_closed) FROM ("
    "SELECT m.county_code, m.reported_on AS day, 1 AS opened, 0 AS closed, "
    "CASE WHEN m.terminal_on IS NULL THEN 1 ELSE 0 END AS never_closed "
    "FROM case_milestones m UNION ALL "
    f"SELECT m.county_code, {_CLOSED_FROM}, 0, 1, 0 FROM case_milestones m "
    "WHERE m.terminal_on IS NOT NULL) AS changes GROUP BY county_code, day",
)


def downgrade() -> None:
    op.drop_table('caseload_days')
    op.drop_index('ix_service_days_day', table_name='service_days')
    op.drop_index('ix_service_days_county_day', table_name='service_days')
    op.drop_table('service_days')
    op.drop_index(op.f('ix_hearing_days_county_code_hearing_on'), table_name='hearing_days')
    op.drop_index(op.f('ix_hearing_days_hearing_on'), table_name='hearing_days')
    op.drop_table('hearing_days')
    with op.batch_alter_table('case_events', schema=None) as batch_op:
        batch_op.drop_index('ix_case_events_stage_occurred_on_county_code')
        batch_op.create_index('ix_case_events_stage_occurred_on', ['stage', 'occurred_on'],
                              unique=False)
    with op.batch_alter_table('case_milestones', schema=None) as batch_op:
        batch_op.drop_index('ix_case_milestones_closing')
        batch_op.drop_index('ix_case_milestones_cohort')
        for name, _ in reversed(ATTRIBUTES):
            batch_op.drop_column(name)
        batch_op.create_index('ix_case_milestones_reported_on', ['reported_on'], unique=False)
        batch_op.create_index('ix_case_milestones_county_code_reported_on',
                              ['county_code', 'reported_on'], unique=False)
