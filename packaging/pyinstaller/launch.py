"""The frozen app's entry point (PyInstaller runs a script, not a console-script entry)."""

import sys

from desktopchat.app import main

if __name__ == "__main__":
    sys.exit(main())
