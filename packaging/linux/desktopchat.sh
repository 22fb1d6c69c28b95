#!/bin/sh
# /usr/bin/desktopchat: start the bundled app (a script, not a symlink, so the bundle finds its
# own folder whatever the way it is called).
exec /opt/desktopchat/desktopchat "$@"
