"""dmgbuild settings: the app and a link to /Applications, side by side (drag to install).

Used by packaging/macos/build-dmg.sh:  dmgbuild -s dmg_settings.py -D app=PATH.app NAME OUT.dmg
"""

import os.path

app = defines.get("app", "build/dist/desktopchat.app")  # noqa: F821 - given by dmgbuild
appname = os.path.basename(app)

format = "UDZO"
size = None
files = [app]
symlinks = {"Applications": "/Applications"}
icon_locations = {appname: (140, 120), "Applications": (500, 120)}
window_rect = ((100, 100), (640, 280))
default_view = "icon-view"
icon_size = 96
