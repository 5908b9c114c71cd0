import auth

ACCESS = auth.require("users")

import streamlit as st

from auth import admin, sessions, users
from auth.policy import ROLE_LABELS, ROLES
from auth.users import UserError
from ui import data, trail
from warehouse import runtime as warehouse_runtime

runtime = warehouse_runtime.current()
actor = ACCESS.principal.username
names = data.county_names(ACCESS.url)
limits = sessions.Limits.of(runtime.settings)
trail.viewed("users", ACCESS.url, ACCESS.scope, {})

st.title("Users")
st.caption("Every change here is written to the audit log and takes effect at the user's "
           "next click: disabling a user, changing their role or counties, resetting their "
           "password or ending their sessions signs them out in every browser.")
listing_slot = st.empty()  # filled last, so it shows the accounts after any change below


def act(label: str, change, handed_to: str | None = None) -> None:
    """Run one change in a transaction; say what happened or why it was refused."""
    try:
        with runtime.engine.begin() as conn:
            temporary = change(conn)
    except UserError as exc:
        st.error(f"{label}: not done, {exc}.")
        return
    if handed_to is None:
        st.success(f"{label}: done.")
        return
    st.success(f"{label}: done. Temporary password for {handed_to}, shown only now: hand it "
               "over in person or by phone. It must be changed at the next sign-in.")
    st.code(temporary, language=None)


st.subheader("Add a user")
with st.form("users_add", clear_on_submit=True):
    new_name = st.text_input("Username", key="users_add_username",
                             help="3-64 characters: lower-case letters, digits, '.', '_', '-'")
    display = st.text_input("Display name", key="users_add_display")
    new_role = st.selectbox("Role", ROLES, index=ROLES.index("monitor"),  # the least access
                            format_func=ROLE_LABELS.get, key="users_add_role")
    new_counties = st.multiselect("Counties (Court User Committee members only)",
                                  sorted(names, key=names.get), format_func=names.get,
                                  key="users_add_counties")
    if st.form_submit_button("Add the user"):
        act("Add", lambda c: admin.add(c, actor, new_name.strip(), role=new_role,
                                       display_name=display.strip() or None,
                                       county_codes=tuple(new_counties)),
            new_name.strip())

with runtime.engine.connect() as conn:
    accounts = {r.username: r for r in users.list_users(conn)}

st.subheader("Change a user")
target = st.selectbox("User", list(accounts), key="users_target")
if target:
    left, middle, right, far = st.columns(4)
    if left.button("Disable", icon=":material/block:", key="users_disable"):
        act("Disable", lambda c: admin.set_active(c, actor, target, False))
    if middle.button("Enable", icon=":material/check_circle:", key="users_enable"):
        act("Enable", lambda c: admin.set_active(c, actor, target, True))
    if right.button("Reset password", icon=":material/key:", key="users_reset"):
        act("Reset password", lambda c: admin.reset_password(c, actor, target), target)
    if far.button("End sessions", icon=":material/logout:", key="users_end"):
        act("End sessions", lambda c: admin.end_sessions(c, actor, target))
    with st.form(f"users_role_{target}"):  # a form per user: it starts from their values
        role = st.selectbox("Role", ROLES, index=ROLES.index(accounts[target].role),
                            format_func=ROLE_LABELS.get)
        counties = st.multiselect("Counties (Court User Committee members only)",
                                  sorted(names, key=names.get), format_func=names.get,
                                  default=[c for c in accounts[target].counties.split(",") if c])
        if st.form_submit_button("Save role and counties"):
            act("Role and counties",
                lambda c: admin.set_role(c, actor, target, role, tuple(counties)))

with runtime.engine.connect() as conn:
    listing_slot.dataframe(admin.table(conn, limits), hide_index=True, width="stretch")
