import auth

ACCESS = auth.require("upload")

import streamlit as st

from ui import runtime as ui_runtime
from ui import trail, upload

runtime = ui_runtime.get()
trail.viewed("upload", ACCESS.url, ACCESS.scope, {})
limit_mb = runtime.settings.max_upload_mb

st.title("Upload data")
st.caption(
    "Programme data files in the data templates (CSV UTF-8, or an Excel workbook with one "
    "sheet per template). Each file is checked first; nothing is written until you choose "
    "Load. Names, phone numbers and other DROP columns are discarded unread, and source ids "
    "are kept only as keyed hashes."
)
if runtime.demo:
    st.warning(
        "This is the **demo warehouse**: files can be checked here, but real programme data "
        "is never loaded into synthetic data. A real deployment starts from an empty "
        "warehouse made with `python manage.py init`.",
        icon=":material/science:",
    )

files = st.file_uploader(
    "Choose files",
    type=["csv", "xlsx"],
    accept_multiple_files=True,
    key="upload_files",
    help=f"Up to {limit_mb:g} MB each. A CSV file's name says its template "
         "(cases.csv, case_events-2025Q1.csv, ...); a workbook's sheet names do.",
)
if not files:
    st.info("Choose one or more files to check them.")
    st.stop()

checked = upload.check(runtime, ACCESS.principal, files)
st.subheader("Check")
upload.show(checked)

any_rejected = any(f.rows_rejected for f in checked.files)
partial = st.checkbox(
    "Load the valid rows of files that have rejected rows (the rejected rows are left out)",
    key="upload_partial",
    disabled=not any_rejected,
    help="By default a file with any rejected row loads nothing, so it can be fixed and "
         "uploaded whole.",
)
load_col, cancel_col = st.columns(2)
do_load = load_col.button("Load", type="primary", key="upload_load",
                          icon=":material/upload:")
do_cancel = cancel_col.button("Cancel", key="upload_cancel", icon=":material/close:")

if do_load:
    result = upload.load(runtime, ACCESS.principal, files, partial)
    st.subheader("Result")
    if result is None:
        st.error("The load stopped on an error and nothing of that file was loaded. The "
                 "upload is recorded as failed; the error is in the server log.",
                 icon=":material/error:")
        st.stop()
    upload.show(result)
    statuses = {f.status for f in result.files}
    if statuses & {"loaded", "partial"}:
        st.success("Loaded. The dashboard's figures include these rows from now on.",
                   icon=":material/check_circle:")
    if "partial" in statuses:
        st.info("Rejected rows were left out; fix them and upload them again.")
    if statuses & {"rejected", "unreadable", "failed"}:
        st.error("Some files were not loaded; the table above says which and why.",
                 icon=":material/error:")
elif do_cancel:
    upload.cancel(runtime, ACCESS.principal, files)
    st.info("Cancelled: nothing was loaded. Remove the files above to start again.")
