"""The app's own words in ar, es, hi: the compiled catalogues match their sources, every
sentence is translated with its placeholders intact, and the app picks the language."""
from __future__ import annotations

import string
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from streamlit.testing.v1 import AppTest

from app_pages.i18n import LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = [lang for lang in LANGUAGES if lang != "en"]
CONSENT = "Show my remix publicly in the gallery, with my name (or 'anonymous'), my place and my words."


def messages(catalogue) -> dict[str, str]:
    return {m.id: m.string for m in catalogue if m.id}


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_compiled_catalogue_matches_its_source(lang: str) -> None:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    with (folder / "app.po").open("rb") as po, (folder / "app.mo").open("rb") as mo:
        assert messages(read_mo(mo)) == messages(read_po(po)), "run: pybabel compile -D app -d app_pages/locale"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_sentence_is_translated_with_its_placeholders(lang: str) -> None:
    with (LOCALE_DIR / "app.pot").open("rb") as pot, (LOCALE_DIR / lang / "LC_MESSAGES" / "app.po").open("rb") as po:
        wanted, done = messages(read_po(pot)), messages(read_po(po))
    assert set(wanted) <= set(done), sorted(set(wanted) - set(done))
    for source, translation in done.items():
        assert translation and fields(translation) == fields(source), source


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import streamlit as st

    monkeypatch.setenv("FRAME_REMIX_DATA", str(tmp_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    return tmp_path


@pytest.mark.parametrize(("lang", "consent"), [
    ("ar", "اعرض عملي علنًا في المعرض، مع اسمي (أو «مجهول») ومكاني وكلماتي."),
    ("es", "Mostrar mi remezcla públicamente en la galería, con mi nombre (o 'anónimo'), mi lugar y mis palabras."),
    ("en", CONSENT),
])
def test_lang_parameter_translates_the_consent_and_labels(lang: str, consent: str) -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["frame"], at.query_params["lang"] = "clean-air", lang
    at.run()
    assert not at.exception
    assert at.checkbox(key="make_consent").label == consent
    assert at.selectbox(key="make_lang_clean-air").value == lang  # the frame speaks it too


@pytest.mark.parametrize(("lang", "title", "tabs", "start"), [
    ("es", "Organizar", ["Nuevo a partir de una plantilla", "Bifurcar un marco", "Abrir mi marco"], "Empezar a editar"),
    ("ar", "التنظيم", ["جديد من قالب بداية", "انسخ إطارًا", "افتح إطاري"], "ابدأ التحرير"),
    ("hi", "आयोजन", ["स्टार्टर से नया", "फ़्रेम का फ़ोर्क बनाएँ", "मेरा फ़्रेम खोलें"], "संपादन शुरू करें"),
])
def test_organize_page_speaks_the_chosen_language(lang: str, title: str, tabs: list[str], start: str) -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page("app_pages/organize.py").run()
    assert not at.exception
    assert at.title[0].value == title and [tab.label for tab in at.tabs] == tabs
    assert at.button(key="org_start").label == start


def test_organize_editor_and_the_frame_byline_are_translated() -> None:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["lang"] = "es"
    at.switch_page("app_pages/organize.py").run()
    at.text_input(key="org_new_id").set_value("mi-marco")
    at.button(key="org_start").click().run()
    assert not at.exception
    labels = [tab.label for tab in at.tabs]
    assert {"Palabras", "Campos", "Aspecto", "Diseño", "Textos", "Traducciones", "Imágenes"} <= set(labels), labels
    assert at.header[0].value == "Editando «mi-marco»"
    make = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    make.query_params["frame"], make.query_params["lang"] = "clean-air", "es"
    make.run()
    assert any(c.value.replace("\\", "") == "Un marco de Breathe Together Coalition · CC BY 4.0 · versión 1"
               for c in make.caption), [c.value for c in make.caption]


def _clean_air_remix(data: Path) -> str:
    """A published clean-air remix in the app's gallery, stored as an operator's script would."""
    from frames import bundled_frames
    from gallery import get_frame, install_bundled, open_store, publish_remix
    from gallery.config import db_path
    from remix import RenderOptions

    store = open_store(db_path(data))
    for frame in bundled_frames():
        install_bundled(store, frame)
    values = {"city": "Quito", "hope": "Children breathing freely."}
    return publish_remix(store, get_frame(store, "clean-air"), values, consent=True, options=RenderOptions(maker="Ana"),
                         place="Quito").id


def test_a_language_switch_on_a_remix_link_with_lang_settles(data_dir: Path) -> None:
    """`?remix=ID&lang=ar`, then Spanish picked on the page: one rerun into Spanish, not a loop
    between the link's language and the picked one."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=30)
    at.query_params["remix"], at.query_params["lang"] = _clean_air_remix(data_dir), "ar"
    at.run()
    assert not at.exception and at.title[0].value == "اصنع نسختك"
    at.selectbox(key="make_lang_clean-air").set_value("es").run()
    assert not at.exception
    assert at.title[0].value == "Crea la tuya" and at.checkbox(key="make_consent").label.startswith("Mostrar mi remezcla")
    assert at.query_params["lang"] == "es"  # a copied address keeps the language picked
    at.run()  # and a reload stays there
    assert at.title[0].value == "Crea la tuya"
