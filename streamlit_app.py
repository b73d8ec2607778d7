"""The browser app's entry point: routing only; pages live in app_pages/.

`streamlit run streamlit_app.py` finds the `app` below (an `st.App`) and serves it, together
with the share pages (`/share/<remix id>`, plain HTML with Open Graph tags that Streamlit
pages cannot set), after opening the gallery once: the bundled frames installed and the
instance admin key made on first start and printed to the server's log. Every browser session
then runs this same file as its script, where it only sets the page config and picks the page.
The configuration is read from the environment here, once per process
(`app_pages.caching.settings` for the pages), and passed down.
"""
import os
import sys

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if get_script_run_ctx() is None:
    from app_pages.federation_routes import federation_routes
    from app_pages.share import share_routes
    from app_pages.share_files import draft_routes
    from gallery.config import Settings, public_url_notice
    from gallery.federation.poller import start_poller
    from gallery.instance import admin_notice, open_instance

    instance = open_instance(Settings.from_env(os.environ))
    print(public_url_notice(instance.settings), file=sys.stderr, flush=True)  # the operator's log
    print(admin_notice(instance.admin, instance.settings.base_url()), flush=True)
    start_poller(instance.store, instance.settings.poll_seconds)  # followed peers, every FRAME_REMIX_POLL_SECONDS (0 = off)
    app = st.App(__file__, routes=[*share_routes(instance.settings), *draft_routes(), *federation_routes(instance.settings)])
else:
    from app_pages.i18n import t
    from app_pages.page import finish, setup

    st.set_page_config(page_title="frame-remix", page_icon="🖼️", layout="wide")
    setup()  # chooses the language: the page names below are in it
    page = st.navigation([
        st.Page("app_pages/make.py", title=t("Make"), icon="✏️", default=True),
        st.Page("app_pages/gallery.py", title=t("Gallery"), icon="🖼️", url_path="gallery"),
        st.Page("app_pages/organize.py", title=t("Organize"), icon="🧭", url_path="organize"),
    ])
    page.run()
    finish()
