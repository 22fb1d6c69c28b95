"""desktopchat: chat privately with open language models on your own computer, offline."""

__version__ = "0.1.0"
APP_NAME = "desktopchat"
