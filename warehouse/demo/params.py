"""The demo generator's parameters: shares, probabilities and rates, in one place.

Probability tuples follow the order of the matching ``warehouse.vocab`` list.
"""

from __future__ import annotations

import datetime as dt

from warehouse.indicators import DEMO_TARGETED

START = dt.date(2021, 1, 1)  # the first day of demo data

# Cases from outside the programme area (~2%): preferred counties and weights.
OTHER_SHARE = 0.02
OTHER_COUNTIES = {"047": 0.40, "006": 0.25, "005": 0.20, "004": 0.15}

# The indicators the generator keeps actuals for and writes targets on: codes of the
# register (warehouse.indicators), which owns them.
INDICATORS = DEMO_TARGETED

# --- case attributes -------------------------------------------------------
# Weights follow vocab order.
REFERRAL_P = (0.20, 0.18, 0.15, 0.08, 0.05, 0.09, 0.12, 0.03, 0.05, 0.05)
OFFENCE_P = (0.25, 0.35, 0.12, 0.28)
AGE_P = (0.12, 0.30, 0.58)
SEX_P = (0.85, 0.13, 0.02)
CONSENT_P = (0.85, 0.05, 0.10)  # True, False, not recorded
SUB_COUNTY_RECORDED = 0.95
COURT_STATION_RECORDED = 0.90
MONTH_SEASON = (1.10, 0.95, 0.95, 1.10, 0.90, 0.90, 1.00, 1.15, 0.95, 0.95, 1.00, 1.25)
WEEKDAY_RATE = (1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 0.45)
GROWTH_PER_YEAR = 0.35  # reporting grows with the programme: ~3x over six years

# --- case progression --------------------------------------------------------
# Chance of reaching each next stage given the one before; overall roughly 85%
# investigated, 55% arrest, 40% charged, 33% trial, 15% judgment.
P_NEXT = (0.85, 0.55 / 0.85, 0.40 / 0.55, 0.33 / 0.40, 0.15 / 0.33)
P_CONVICTED = 0.65
P_CLOSED_NFA = 0.70  # of cases that stop before charge
P_WITHDRAWN = 0.60  # of charged cases that stop before judgment

# --- hearings ------------------------------------------------------------------
P_ADJOURNED = 0.55
ADJOURNMENT_P = (0.28, 0.32, 0.12, 0.12, 0.10, 0.06)  # vocab.ADJOURNMENT_REASONS
P_TESTIMONY = 0.85  # of trials, the survivor testifies on one or two hearings
MEASURE_P = (0.85, 0.35, 0.30, 0.12, 0.70)  # vocab.TESTIMONY_MEASURES, when testified

# --- services ------------------------------------------------------------------
N_SERVICES_P = (0.15, 0.30, 0.25, 0.17, 0.13)  # 0..4 services per survivor
FIRST_SERVICE_P = (0.40, 0.45, 0.10, 0.05, 0.0, 0.0, 0.0)
LATER_SERVICE_P = (0.35, 0.10, 0.10, 0.15, 0.12, 0.12, 0.06)
GOVERNMENT_P = (0.35, 0.75, 0.30, 0.20, 0.60, 0.50, 0.20)  # by service

# --- hotline -------------------------------------------------------------------
HOTLINE_PER_CASE = 1.5
P_LINK_HOTLINE_CASE = 0.95  # a case referred by the 116 line has a report
P_LINK_OTHER_CASE = 0.35
CHANNEL_P = (0.60, 0.10, 0.20, 0.10)
LINKED_CATEGORY_P = (0.40, 0.60, 0.0, 0.0)
OTHER_CATEGORY_P = (0.12, 0.28, 0.35, 0.25)
REFERRED_P = {  # by category
    "child_trafficking": (0.55, 0.30, 0.10, 0.03, 0.02),
    "sexual_exploitation": (0.45, 0.30, 0.10, 0.12, 0.03),
    "other_abuse": (0.25, 0.40, 0.15, 0.10, 0.10),
    "information_request": (0.02, 0.08, 0.08, 0.02, 0.80),
}

# --- trainings and workforce -------------------------------------------------------
# Headcount on 1 January 2021, per cadre and programme county.
WORKFORCE_2021 = {
    "police": {"001": 2100, "002": 950, "003": 1550},
    "prosecutor": {"001": 36, "002": 12, "003": 22},
    "magistrate": {"001": 14, "002": 5, "003": 9},
    "children_officer": {"001": 24, "002": 14, "003": 20},
    "court_staff": {"001": 130, "002": 45, "003": 85},
    "cso_caseworker": {"001": 90, "002": 40, "003": 70},
    "health_worker": {"001": 2600, "002": 1100, "003": 1900},
}
WORKFORCE_GROWTH = 0.02
MAX_TRAINED_SHARE = 0.75  # never more participants than this share of the smallest headcount
TRAINING_ROWS_MIN, TRAINING_ROWS_MAX, TRAINING_ROWS_PER_CASE = 300, 30_000, 0.3
COURSES_PER_PARTICIPANT_P = (0.60, 0.28, 0.12)  # 1, 2 or 3 courses
CADRE_P = (0.30, 0.10, 0.04, 0.12, 0.10, 0.17, 0.17)
FEMALE_SHARE = (0.35, 0.50, 0.50, 0.55, 0.50, 0.65, 0.65)  # by cadre
COURSE_P = {  # by cadre, vocab.COURSES order
    "police": (0.55, 0.05, 0.10, 0.05, 0.25),
    "prosecutor": (0.10, 0.55, 0.10, 0.10, 0.15),
    "magistrate": (0.0, 0.10, 0.10, 0.60, 0.20),
    "children_officer": (0.05, 0.0, 0.50, 0.15, 0.30),
    "court_staff": (0.0, 0.05, 0.15, 0.60, 0.20),
    "cso_caseworker": (0.05, 0.0, 0.55, 0.10, 0.30),
    "health_worker": (0.05, 0.0, 0.45, 0.05, 0.45),
}
DELIVERY_P = (0.70, 0.20, 0.10)
SESSIONS_PER_MONTH = (0.6, 1.0, 0.4)  # per county x course, by delivery

# --- outreach ------------------------------------------------------------------
AUDIENCE_SIZE = {  # (low, high) participants per session, female share
    "teachers": (10, 50, 0.55),
    "boda_boda_riders": (15, 80, 0.05),
    "community_members": (20, 150, 0.55),
    "students": (40, 300, 0.50),
    "faith_leaders": (10, 60, 0.35),
    "parents": (15, 100, 0.65),
}
AUDIENCE_P = (0.15, 0.15, 0.25, 0.20, 0.10, 0.15)
TOPIC_P = (0.25, 0.25, 0.15, 0.20, 0.15)
