"""The local API's bearer token: generated, kept in a file only the user can read (so scripts
can read it too: ``desktopchat serve`` prints its path), shown and regenerated in the window.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
from pathlib import Path

TOKEN_FILE = "api-token"
PREFIX = "dc-"


def new_token() -> str:
    return PREFIX + secrets.token_urlsafe(32)


class TokenFile:
    """The token on disk plus the value the server checks; thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._value = ""

    @property
    def value(self) -> str:
        """The token, created (and written) on first use."""
        with self._lock:
            if not self._value:
                self._value = self._read() or self._write(new_token())
            return self._value

    def regenerate(self) -> str:
        """A new token; the old one stops working at once."""
        with self._lock:
            self._value = self._write(new_token())
            return self._value

    def check(self, authorization: str | None) -> bool:
        """True when ``Authorization`` is ``Bearer <the token>`` (constant-time compare)."""
        if not authorization:
            return False
        scheme, _, given = authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(given.strip().encode(), self.value.encode())

    def _read(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return ""
        ok = text.startswith(PREFIX) and 20 <= len(text) <= 200 and text.isprintable()
        return text if ok else ""

    def _write(self, token: str) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(token + "\n")
            os.chmod(tmp, 0o600)
            os.replace(tmp, self.path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return token
