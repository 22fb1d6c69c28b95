"""desktopchat: chat privately with open language models on your own computer, offline."""

__version__ = "0.1.0"
APP_NAME = "desktopchat"
# Reverse-DNS id shared by the desktop entry, AppStream metadata, icons and the macOS bundle.
APP_ID = "io.github.desktopchat.DesktopChat"
