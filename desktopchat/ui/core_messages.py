"""Sentences the Qt-free core writes (remote engines, the local API) shown in the current
language.

The core cannot translate (it never imports Qt), and its sentences carry values: a name, a
host, an HTTP status. So each sentence the window shows has its template here, marked for
translation with named fields ("{name} closed the connection before replying."); a sentence is
matched against the templates, the values are read back out of it, and the translated template
is filled with them. A sentence that matches no template (one the core added since) is shown as
the core wrote it, in English: never worse than before. ``tests/qt/test_core_messages.py``
makes the core write each of its sentences and checks that a template here matches it.
"""

from __future__ import annotations

import re
import string
from functools import cache

from desktopchat.ui.i18n import QT_TRANSLATE_NOOP, translate

CONTEXT = "CoreMessages"
MAX_LENGTH = 2000  # longer text is not a sentence from the core: shown as it is
NUMBERS = {"status", "port", "count", "seconds"}  # fields that are always digits

TEMPLATES = (
    # desktopchat.engine.remote_config: what the user typed for a remote engine
    QT_TRANSLATE_NOOP("CoreMessages",
                      "Enter the server's address, such as http://localhost:8000/v1."),
    QT_TRANSLATE_NOOP("CoreMessages", "That address is too long."),
    QT_TRANSLATE_NOOP("CoreMessages", "The address must start with http:// or https://."),
    QT_TRANSLATE_NOOP("CoreMessages", "The address has no host name."),
    QT_TRANSLATE_NOOP("CoreMessages", "Put the API key in its own field, not in the address."),
    QT_TRANSLATE_NOOP("CoreMessages", "The address cannot have a query (?) or a fragment (#)."),
    QT_TRANSLATE_NOOP("CoreMessages", "The address has an invalid port number."),
    QT_TRANSLATE_NOOP("CoreMessages", "Give the engine a name."),
    QT_TRANSLATE_NOOP("CoreMessages", "The name is too long (at most {count} characters)."),
    QT_TRANSLATE_NOOP("CoreMessages", "That API key is not valid."),
    QT_TRANSLATE_NOOP("CoreMessages", "At most {count} remote engines can be added."),
    QT_TRANSLATE_NOOP("CoreMessages", "There is already an engine named {name}."),
    QT_TRANSLATE_NOOP("CoreMessages", "That remote engine no longer exists."),
    QT_TRANSLATE_NOOP("CoreMessages", "That remote engine was removed."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "{host} is reached over plain http://: your messages and API key cross "
                      "the network unencrypted; use https:// unless this network is yours."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "This system has no keyring, so the API key is kept in {path}, a file "
                      "only your user account can read."),
    # desktopchat.engine.remote_http and session.remote_models: talking to a remote engine
    QT_TRANSLATE_NOOP("CoreMessages", "Offline mode is on, so remote engines are not "
                                      "contacted; turn it off to use them."),
    QT_TRANSLATE_NOOP("CoreMessages", "The models of {name} could not be listed: {reason}."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} refused the API key (HTTP {status}); check the "
                                      "key in Remote engines."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} has no model named {model}, or its address is "
                                      "not an OpenAI-compatible API (HTTP 404)."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is not an OpenAI-compatible API at this address "
                                      "(HTTP 404); check the base URL (it usually ends in /v1)."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "{name} is limiting requests (HTTP 429); try again in {seconds} s."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "{name} is limiting requests (HTTP 429); try again in a moment."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} redirected the request (HTTP {status}); enter "
                                      "the address it redirects to."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "{name} failed with a server error (HTTP {status}): {reason}."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} failed with a server error (HTTP {status})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} rejected the request (HTTP {status}): {reason}."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} rejected the request (HTTP {status})."),
    QT_TRANSLATE_NOOP("CoreMessages", "A request to a server other than {name} was refused."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} stopped sending the reply (nothing arrived for "
                                      "too long); the partial reply was kept."),
    QT_TRANSLATE_NOOP("CoreMessages", "The connection to {name} dropped in the middle of the "
                                      "reply; the partial reply was kept."),
    QT_TRANSLATE_NOOP("CoreMessages", "The secure (TLS) connection to {name} failed: {reason}."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} at {host} did not answer; check the address and "
                                      "that it is running."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} at {host} cannot be reached; check the address "
                                      "and that it is running."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "{name} did not start replying in time; it may be overloaded."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} closed the connection before replying."),
    QT_TRANSLATE_NOOP("CoreMessages", "The request to {name} failed: {reason}."),
    # desktopchat.api.server: the local API
    QT_TRANSLATE_NOOP("CoreMessages", "{port} is not a valid port number."),
    QT_TRANSLATE_NOOP("CoreMessages", "Port {port} is already in use; pick another port."),
    QT_TRANSLATE_NOOP("CoreMessages",
                      "The local API could not listen on port {port}: {reason}."),
)


def _pattern(template: str) -> re.Pattern[str]:
    """The regular expression a sentence written from ``template`` matches, a group per field."""
    parts: list[str] = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(rf"(?P<{field}>\d+)" if field in NUMBERS else rf"(?P<{field}>.*?)")
    return re.compile("".join(parts), re.DOTALL)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((t, _pattern(t)) for t in TEMPLATES)


def template_for(sentence: str) -> tuple[str, dict[str, str]] | None:
    """The template ``sentence`` was written from, and its values; None when none matches."""
    if len(sentence) > MAX_LENGTH:
        return None
    for template, pattern in _patterns():
        found = pattern.fullmatch(sentence)
        if found is not None:
            return template, found.groupdict()
    return None


def core_text(sentence: str) -> str:
    """``sentence`` (written by the Qt-free core) in the current language."""
    match = template_for(sentence)
    if match is None:
        return sentence
    template, values = match
    translated = translate(CONTEXT, template)
    if translated == template:
        return sentence
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):  # a translation with other fields: keep English
        return sentence
