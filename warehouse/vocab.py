"""Enumerated values of the data contract (version 1), in the contract's order.

One place for every code the warehouse stores and for the words a page shows
instead of it. Ingest validates against these tuples; pages label with ``label()``.
"""

from __future__ import annotations

REFERRAL_SOURCES = (
    "hotline_116", "police", "community", "school", "boda_boda",
    "health_facility", "civil_society", "court", "self", "other",
)
OFFENCES = (
    "child_trafficking", "child_prostitution", "child_sex_tourism", "other_sexual_exploitation",
)
AGE_BANDS = ("0-11", "12-14", "15-17")
SEXES = ("female", "male", "unknown")

# Ordered progression up to judgment; the contract forbids going back in time along it.
PROGRESSION_STAGES = (
    "reported", "investigation_opened", "suspect_arrested", "charged", "trial_started", "judgment",
)
VERDICT_STAGES = ("convicted", "acquitted")  # need a judgment on the same day or earlier
EXIT_STAGES = ("withdrawn", "closed_no_further_action")  # end a case before judgment
STAGES = PROGRESSION_STAGES + VERDICT_STAGES + EXIT_STAGES
TERMINAL_STAGES = VERDICT_STAGES + EXIT_STAGES

HEARING_STATUSES = ("proceeded", "adjourned")
ADJOURNMENT_REASONS = (
    "prosecution_not_ready", "witness_absent", "accused_absent",
    "court_unavailable", "defence_request", "other",
)
TESTIMONY_MEASURES = ("in_camera", "intermediary", "screen", "video_link", "support_person")

SERVICES = (
    "psychosocial", "medical", "shelter", "legal_aid",
    "education_support", "family_reintegration", "economic_support",
)
PROVIDER_TYPES = ("government", "civil_society")

CADRES = (
    "police", "prosecutor", "magistrate", "children_officer",
    "court_staff", "cso_caseworker", "health_worker",
)
COURSES = (
    "trauma_informed_investigation", "trauma_informed_prosecution",
    "victim_centred_case_management", "child_friendly_courts", "referral_pathways_nrm",
)
DELIVERIES = ("training", "mentorship", "technical_assistance")

AUDIENCES = (
    "teachers", "boda_boda_riders", "community_members", "students", "faith_leaders", "parents",
)
TOPICS = ("referral_pathways", "hotline_116", "nrm", "child_rights", "online_safety")

CHANNELS = ("call_116", "sms", "walk_in", "other")
HOTLINE_CATEGORIES = (
    "child_trafficking", "sexual_exploitation", "other_abuse", "information_request",
)
REFERRED_TO = ("police", "children_services", "civil_society", "health", "none")

# Words for codes whose plain title-casing would read wrongly.
_LABELS = {
    "hotline_116": "116 helpline",
    "call_116": "116 call",
    "sms": "SMS",
    "boda_boda": "Boda boda rider",
    "boda_boda_riders": "Boda boda riders",
    "nrm": "National Referral Mechanism",
    "referral_pathways_nrm": "Referral pathways and the NRM",
    "cso_caseworker": "CSO caseworker",
    "closed_no_further_action": "Closed, no further action",
    "suspect_arrested": "Suspect arrested",
    "investigation_opened": "Investigation opened",
    "0-11": "0–11 years",
    "12-14": "12–14 years",
    "15-17": "15–17 years",
    "self": "Self-referral",
    "none": "Not referred",
}


def label(code: str | None) -> str:
    """The words a page shows for a stored code ("child_sex_tourism" -> "Child sex tourism")."""
    if code is None:
        return "Not recorded"
    if code in _LABELS:
        return _LABELS[code]
    return code.replace("_", " ").capitalize()


# Indicator codes the dashboard defines; a target must name one of them. Copied from the
# demo generator's list; the indicator register (issue 8) will own these.
INDICATOR_CODES = (
    "CASES_REPORTED",
    "CASES_CHARGED",
    "CONVICTIONS",
    "SURVIVORS_SERVED",
    "PEOPLE_TRAINED",
    "OUTREACH_PARTICIPANTS",
)
