import auth

ACCESS = auth.require("outreach")

import streamlit as st

from charts import outreach as charts
from core import clock
from core.periods import period_keys
from metrics import format as fmt
from metrics import outreach as shape
from metrics.tables import COUNT, TEXT, readable
from queries import captions
from ui import components, data

names = data.county_names(ACCESS.url)
filters = components.sidebar_filters(ACCESS.scope, names, clock.today())
figures = data.tables("outreach", ACCESS.url, ACCESS.scope, filters)
detail = data.tables("outreach", ACCESS.url, ACCESS.scope, filters)["sessions_detail"]
threshold = ACCESS.scope.suppress_below
months = period_keys(filters.start, filters.end, "month")


def caption(what: str) -> str:
    return captions.caption(what, ACCESS.scope, filters, names)


def share(part, whole) -> str:
    """'12 (40%)'; a dash when there is nothing to divide by."""
    if part is None:
        return "Withheld"
    return f"{part:,} ({part / whole * 100:.0f}%)" if whole else f"{part:,}"


st.title("Outreach and referrals")
st.caption(f"{captions.where(ACCESS.scope, filters, names)} · data last loaded "
           f"{fmt.day(data.last_load_at(ACCESS.url, data.data_version(ACCESS.url)))}")

st.subheader("Community sessions")
sessions = figures["sessions"]
if sessions.is_empty():
    st.info("No community session was held in this period in the counties chosen.")
else:
    left, right = st.columns(2)
    with left:
        view = shape.audience_view(sessions)
        components.chart_panel(
            charts.attendance(view, "group", "Audience"), shape.audience_table(view, threshold),
            caption("Participants by audience and sex (attendance: someone at two sessions "
                    "counts twice)"), "outreach-by-audience")
    with right:
        view = shape.sub_county_view(detail, names)
        components.chart_panel(
            charts.attendance(view, "group", "Sub-county"),
            shape.sub_county_table(view, threshold),
            caption("Participants by sub-county and sex ('Not recorded': the session's "
                    "sub-county was not given)"), "outreach-by-sub-county")
    view = shape.month_view(detail, months, names)
    components.chart_panel(
        charts.sessions_over_time(view), shape.month_table(view, threshold),
        caption("Community sessions held each month"), "outreach-sessions-by-month")

st.subheader("116 helpline and referral-desk reports")
hotline = figures["hotline"]
if hotline.is_empty():
    st.info("No report was received in this period in the counties chosen.")
else:
    got = shape.referrals(hotline)
    components.figure_cards([
        {"label": "Trafficking and exploitation reports",
         "value": fmt.count(got["reports"], None if got["reports"] is not None else "small",
                            threshold),
         "help": "Reports whose category is child trafficking or sexual exploitation."},
        {"label": "Referred onward", "value": share(got["referred"], got["reports"]),
         "help": "Of those reports, the ones referred to the police, children's services, "
                 "civil society or health services (anything but 'not referred')."},
        {"label": "Became cases", "value": share(got["linked"], got["reports"]),
         "help": "Of those reports, the ones whose case key matches a case in the "
                 "warehouse, whenever that case was reported."},
    ])
    for column, (dimension, title) in zip(st.columns(3), (
            ("category", "Category"), ("channel", "Channel"), ("referred_to", "Referred to")),
            strict=True):
        with column:
            view = shape.reports_view(hotline, dimension)
            components.chart_panel(
                charts.reports_by(view, "group", title),
                readable(view, [("group", title, TEXT), ("reports", "Reports", COUNT),
                                ("linked_to_case", "Became a case", COUNT)], threshold),
                caption(f"Reports received by {title.lower()}"), f"reports-by-{dimension}")
    with st.expander("Every report count by county, category, channel and referral"):
        components.data_table(shape.hotline_table(hotline, names, threshold), "hotline-reports")

st.subheader("Outreach and reports, month by month")
monthly = figures["monthly"]
if monthly.is_empty():
    st.info("There was no outreach, report or case in this period in the counties chosen.")
else:
    view = shape.monthly_view(monthly, names)
    components.chart_panel(
        charts.side_by_side(view), shape.monthly_table(view, threshold),
        caption("Outreach participants, hotline reports and cases reported per month and "
                "county, side by side. They are shown together so that a rise in reports can "
                "be read against the outreach before it; the chart does not show that one "
                "causes the other"), "outreach-and-reports-by-month", width="content")
