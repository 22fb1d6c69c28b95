"""Languages: every user-visible string of the window goes through ``translate`` (Qt's
``QCoreApplication.translate``, which ``lupdate`` extracts), and ``install`` loads the compiled
translations (``resources/translations/desktopchat_<lang>.qm``, built from the ``.ts`` sources
by ``lrelease`` when the package is built) plus Qt's own (standard buttons, context menus).

Strings are formatted with ``str.format`` and named fields (``"Added {name}."``), so a
translation can move a field; tests check that every translation keeps the same fields.
The language follows the system unless the user picks one (Preferences); a change applies the
next time the app starts (widgets are built in the language of their day).
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QTranslator,
)

log = logging.getLogger(__name__)

# (setting value, the language's own name); "" follows the system.
LANGUAGES: tuple[tuple[str, str], ...] = (("en", "English"), ("zh_CN", "简体中文"))
SYSTEM = ""
_installed: list[QTranslator] = []


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``text`` in the current language (``context`` is the class or module it belongs to)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate knows
    """Marks ``text`` for translation where it is defined (a table); ``translate(context,
    text)`` shows it in the current language where it is used."""
    return text


def translations_dir() -> Path:
    """Where the compiled ``.qm`` files are (package data; next to the ``.ts`` sources)."""
    return Path(str(resources.files("desktopchat.resources").joinpath("translations")))


def known(language: str) -> str:
    """``language`` if the app has it, else "" (the system's)."""
    return language if language in {code for code, _name in LANGUAGES} else SYSTEM


def locale_for(language: str) -> QLocale:
    return QLocale(language) if known(language) else QLocale.system()


def install(language: str = SYSTEM, qm_dir: Path | None = None) -> str:
    """Load the translations for ``language`` ("" follows the system) into the application,
    replacing any loaded before. Returns the language now in effect ("en" when the system's
    language has no translation, or its file is missing)."""
    app = QCoreApplication.instance()
    assert app is not None, "a QApplication must exist first"
    uninstall()
    locale = locale_for(language)
    folder = qm_dir or translations_dir()
    ours = QTranslator(app)
    if not ours.load(locale, "desktopchat", "_", str(folder)):
        if locale.language() not in (QLocale.Language.English, QLocale.Language.C):
            log.warning("no translation for %s in %s; using English", locale.name(), folder)
        return "en"
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        _add(app, qt)
    _add(app, ours)
    QLocale.setDefault(locale)
    return ours.language().replace("-", "_") or "en"


def _add(app: QCoreApplication, translator: QTranslator) -> None:
    app.installTranslator(translator)
    _installed.append(translator)


def uninstall() -> None:
    """Back to the strings as written (English)."""
    app = QCoreApplication.instance()
    while _installed:
        translator = _installed.pop()
        if app is not None:
            app.removeTranslator(translator)
        translator.deleteLater()
    QLocale.setDefault(QLocale.system())


# Strings from the Qt-free core, shown by the window: their translations live here.
STATUS_NOTES = (
    QT_TRANSLATE_NOOP("MessageStatus", "stopped"),
    QT_TRANSLATE_NOOP("MessageStatus", "cut off at the length limit"),
    QT_TRANSLATE_NOOP("MessageStatus", "the model failed while replying"),
    QT_TRANSLATE_NOOP("MessageStatus", "interrupted when the app closed"),
)


PLAIN_REASONS = {  # ``markdown.PLAIN_REASONS`` (Qt-free), translated
    "long": QT_TRANSLATE_NOOP("MessageText", "Shown as plain text because it is very long."),
    "nested": QT_TRANSLATE_NOOP("MessageText",
                                "Shown as plain text because it is nested too deeply."),
    "complex": QT_TRANSLATE_NOOP("MessageText", "Shown as plain text because its formatting "
                                                "is too complex to show quickly."),
}


def plain_reason(reason: str) -> str:
    """Why a part of a message is shown as plain text, in the current language."""
    return translate("MessageText", PLAIN_REASONS.get(reason, PLAIN_REASONS["long"]))


def status_note(note: str) -> str:
    """A message's status note (``MessageStatus.note``) in the current language."""
    return translate("MessageStatus", note) if note else ""
