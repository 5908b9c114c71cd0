"""The indicator register: every indicator the programme reports against targets, as data.

Defined once, here, because three floors need the codes: the ``targets`` template (a
target must name a registered indicator), the demo generator (which writes targets for
some of them) and the pages. This module holds only what an indicator *is* — code, name,
definition, unit, disaggregations, the direction that counts as progress — and nothing
that reads data: each computation is attached by code in ``figures/indicator_values.py``
(a higher floor), which reuses the figure a page already shows wherever there is one,
and ``tests/figures/test_indicators.py`` checks that every code has exactly one.

The State Department's standard codes are kept where an indicator is theirs (PS.5.1-28,
PS.5.1-29, PS.5.3-15); the programme's own indicators have upper-case names as codes,
including the six the demo warehouse sets targets for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNT, SHARE, MEDIAN = "count", "share", "median"
UP, DOWN = "up", "down"  # the direction that counts as progress

# The programme's choices behind the State Department indicators: which cadres are first
# responders, and which courses teach victim identification and trafficking prevention.
FIRST_RESPONDERS = ("police", "children_officer", "health_worker", "cso_caseworker")
IDENTIFICATION_COURSES = ("trauma_informed_investigation", "referral_pathways_nrm")
PREVENTION_COURSES = ("referral_pathways_nrm",)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator: str  # in words: what is counted (or, for a median, over what)
    denominator: str | None  # in words, for a share; None otherwise
    unit: str  # what one of it is: "people", "cases", "days", "share" ...
    kind: str  # COUNT, SHARE or MEDIAN
    disaggregations: tuple[str, ...]  # dimensions of the drill-down (always "county" first)
    direction: str = UP
    standard: bool = False  # a State Department standard indicator
    # Whether a year's target may be the sum of its quarters': true of events counted per
    # quarter, not of different people (someone trained in two quarters is one in the year).
    targets_add: bool = True


def _count(code, name, numerator, unit, dims, **kw) -> Indicator:
    return Indicator(code, name, numerator, None, unit, COUNT, ("county", *dims), **kw)


def _share(code, name, numerator, denominator, dims, **kw) -> Indicator:
    return Indicator(code, name, numerator, denominator, "share", SHARE, ("county", *dims),
                     targets_add=False, **kw)


def _median(code, name, over, dims, **kw) -> Indicator:
    return Indicator(code, name, over, None, "days", MEDIAN, ("county", *dims), DOWN,
                     targets_add=False, **kw)


REGISTER: tuple[Indicator, ...] = (
    _count("PS.5.1-28", "First responders trained on victim identification",
           "Different people of the first-responder cadres (police, children's officers, health "
           "workers, CSO caseworkers) who attended a training session (delivery 'training') in "
           "trauma-informed investigation or referral pathways and the NRM in the period.",
           "people", ("participant_sex", "cadre"), standard=True, targets_add=False),
    _count("PS.5.1-29", "Victims referred for protection services",
           "Reports of child trafficking or sexual exploitation received by the 116 helpline "
           "or a referral desk in the period and referred onward (to the police, children's "
           "services, civil society or health services).",
           "reports", ("referred_to", "channel"), standard=True),
    _count("PS.5.3-15", "People trained in trafficking prevention",
           "Different people who attended a training session (delivery 'training') in referral "
           "pathways and the NRM in the period; the audience is their cadre.",
           "people", ("participant_sex", "cadre"), standard=True, targets_add=False),
    _count("PEOPLE_TRAINED", "People trained in trauma-informed, victim-centred practice",
           "Different people who took part in a training, mentorship or technical assistance "
           "session of any course in the period (counted once however many they attended).",
           "people", ("cadre", "participant_sex"), targets_add=False),
    _share("KNOWLEDGE_GAIN", "Trained participants with a knowledge gain",
           "Training rows in the period whose post-test score is at least 10 points above the "
           "pre-test score.",
           "Training rows in the period with both a pre- and a post-test score.",
           ("course", "cadre")),
    _count("OUTREACH_PARTICIPANTS", "Community members reached",
           "Attendance at community outreach sessions in the period, female and male (a person "
           "at two sessions counts twice).", "participants", ("sex", "audience")),
    _count("HOTLINE_TIP_REPORTS", "Hotline reports of trafficking or exploitation",
           "Reports of child trafficking or sexual exploitation received by the 116 helpline or "
           "a referral desk in the period.", "reports", ("category", "channel")),
    _count("CASES_REPORTED", "Cases reported",
           "Cases whose report date falls in the period.", "cases",
           ("victim_sex", "victim_age_band", "offence", "referral_source")),
    _count("CASES_INVESTIGATED", "Cases investigated",
           "Cases with an investigation opened on a date in the period.", "cases", ()),
    _count("CASES_CHARGED", "Cases charged",
           "Cases that reached 'charged' on a date in the period.", "cases", ()),
    _count("CONVICTIONS", "Cases convicted",
           "Cases with a conviction recorded on a date in the period.", "cases", ()),
    _share("CONVICTION_RATE", "Conviction rate",
           "Convictions dated in the period.",
           "Convictions, acquittals and withdrawals dated in the period.", ()),
    _median("REPORT_TO_CHARGE_DAYS", "Median days from report to charge",
            "Cases reported in the period that had been charged by the as-of date: the median "
            "of the calendar days from the report to the charge.", ()),
    _median("CHARGE_TO_JUDGMENT_DAYS", "Median days from charge to judgment",
            "Cases reported in the period that had reached both charge and judgment by the "
            "as-of date: the median of the calendar days between the two.", ()),
    _share("OPEN_OVER_6_MONTHS", "Open cases older than 6 months",
           "Cases open on the period's last day that were reported 183 days or more before it.",
           "Cases open on the period's last day (every case in the counties, whenever "
           "reported).", (), direction=DOWN),
    _share("OPEN_OVER_3_YEARS", "Open cases older than 3 years",
           "Cases open on the period's last day that were reported 1,096 days or more before "
           "it.", "Cases open on the period's last day.", (), direction=DOWN),
    _share("TESTIMONY_PROTECTED", "Testimonies with a protective measure",
           "Hearings in the period at which the survivor testified with at least one "
           "protective measure (in camera, intermediary, screen, video link, support person).",
           "Hearings in the period at which the survivor testified.", ("measure",)),
    _count("SURVIVORS_SERVED", "Survivors receiving a service",
           "Survivors (different cases) who received at least one service in the period.",
           "survivors", ("service",), targets_add=False),
    _median("DAYS_TO_FIRST_SERVICE", "Median days to first service",
            "Cases reported in the period that had received a service by the as-of date: the "
            "median of the calendar days from the report to the first service.", ()),
    _share("CONSENT_DOCUMENTED", "Cases with consent documented",
           "Cases reported in the period whose consent is recorded as documented.",
           "Cases reported in the period (consent not recorded counts as not documented).",
           ("victim_age_band",)),
)

BY_CODE = {i.code: i for i in REGISTER}
CODES = tuple(BY_CODE)
# The indicators the demo generator keeps actuals for and sets targets on.
DEMO_TARGETED = ("CASES_REPORTED", "CASES_CHARGED", "CONVICTIONS", "SURVIVORS_SERVED",
                 "PEOPLE_TRAINED", "OUTREACH_PARTICIPANTS")


# What may separate the parts of a code as typed: ignored when matching.
SEPARATORS = r"[\s._-]+"


def loose(text: str) -> str:
    """A code as matched: upper case, without separators ('ps 5.1 28' -> 'PS5128')."""
    return re.sub(SEPARATORS, "", str(text).strip().upper())


LOOSE = {loose(c): c for c in CODES}


def code_for(text: str) -> str | None:
    """The registered code ``text`` names, or None. Case, surrounding spaces, and spaces,
    hyphens, dots or underscores between the parts do not matter ('ps 5.1 28' is
    PS.5.1-28), so a code typed in a spreadsheet still matches."""
    return LOOSE.get(loose(text))
