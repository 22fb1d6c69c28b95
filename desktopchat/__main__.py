"""`python -m desktopchat`."""

import sys

from desktopchat.app import main

sys.exit(main())
