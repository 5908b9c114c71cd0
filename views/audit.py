import auth

ACCESS = auth.require("audit")

from datetime import UTC, datetime, timedelta

import streamlit as st

from auth import audit
from figures.export import to_csv
from ui import components, trail
from warehouse import runtime as warehouse_runtime

runtime = warehouse_runtime.current()
today_utc = datetime.now(UTC).date()  # the log's own clock, not the data's as-of date

st.title("Audit log")
st.caption("Who did what, and when (UTC): sign-ins and failures, lockouts, sign-outs, ended "
           "sessions, refused cookies and pages, page views, exports, uploads and changes to "
           "users. Rows are only ever added. No password, key, cookie or token is ever "
           "written here.")

with runtime.engine.connect() as conn:
    known_users, known_actions = audit.usernames(conn), audit.actions(conn)
st.sidebar.subheader("Filters")
who = st.sidebar.selectbox("User", ["(everyone)", *known_users], key="audit_user")
what = st.sidebar.selectbox("Action", ["(every action)", *known_actions], key="audit_action")
days = st.sidebar.date_input("Dates (UTC)", value=(today_utc - timedelta(days=30), today_utc),
                             max_value=today_utc, key="audit_days")
first, last = (days[0], days[-1]) if days else (None, None)
choices = {"user": who, "action": what, "from": first, "to": last}
trail.viewed("audit", ACCESS.url, ACCESS.scope, choices)

with runtime.engine.connect() as conn:
    rows = audit.search(conn, username=None if who.startswith("(") else who,
                        action=None if what.startswith("(") else what, first=first, last=last)
shown = audit.table(rows)
st.write(f"{len(shown):,} entries, newest first" + (" (the newest 5,000)" if len(rows) == 5000
                                                     else ""))
st.dataframe(shown.to_arrow(), hide_index=True, width="stretch", column_config={
    "When (UTC)": st.column_config.TextColumn(width="small"),
    "User": st.column_config.TextColumn(width="small"),
    "Action": st.column_config.TextColumn(width="small"),
    "Details": st.column_config.TextColumn(width="large"),
})
components.download("Download as CSV", to_csv(shown), "audit-log", "csv", "text/csv")
