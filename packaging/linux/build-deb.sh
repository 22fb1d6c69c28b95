#!/usr/bin/env bash
# Builds dist/desktopchat_<version>_amd64.deb (or dist/desktopchat-offline_<version>_amd64.deb
# with --with-starter-model) from this checkout, with dpkg-deb only:
#
#   packaging/linux/build-deb.sh [--with-starter-model]
#
# Installs as: /opt/desktopchat (the PyInstaller bundle), /usr/bin/desktopchat (launcher),
# /usr/share/applications/<app id>.desktop, /usr/share/metainfo/<app id>.metainfo.xml and
# /usr/share/icons/hicolor/*/apps/<app id>.{png,svg}. The app writes only to the user's
# platformdirs folders, so removing the package (dpkg -r, or --purge) never touches chats.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
variant=""
for arg in "$@"; do
  case "$arg" in
    --with-starter-model) variant="-offline" ;;
    *) echo "usage: $0 [--with-starter-model]" >&2; exit 2 ;;
  esac
done
packaging/linux/system-deps.sh
packaging/build-bundle.sh "$@"

python="${PYTHON:-python3}"
read -r version app_id < <(cd "$root" && "$python" -c \
  'import desktopchat as d; print(d.__version__, d.APP_ID)')
arch="$(dpkg --print-architecture)"
stage="$root/build/deb$variant"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/share/icons" "$stage/usr/share/doc/desktopchat"
cp -a build/dist/desktopchat "$stage/opt/desktopchat"
install -m 0755 packaging/linux/desktopchat.sh "$stage/usr/bin/desktopchat"
install -m 0644 packaging/linux/desktopchat.desktop "$stage/usr/share/applications/$app_id.desktop"
release_date="$(git log -1 --format=%cs 2>/dev/null || date -u +%F)"
sed -e "s/@VERSION@/$version/" -e "s/@DATE@/$release_date/" packaging/linux/desktopchat.metainfo.xml > \
  "$stage/usr/share/metainfo/$app_id.metainfo.xml"
cp -r build/icons/hicolor "$stage/usr/share/icons/hicolor"
install -m 0644 packaging/linux/copyright "$stage/usr/share/doc/desktopchat/copyright"
install -m 0755 packaging/linux/postinst "$stage/DEBIAN/postinst"
install -m 0755 packaging/linux/postinst "$stage/DEBIAN/postrm"
find "$stage" -type d -exec chmod 0755 {} +
installed_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$installed_kb/" \
  packaging/linux/control > "$stage/DEBIAN/control"
if [ -n "$variant" ]; then
  sed -i 's/^Description: .*/& (with the starter model, works offline)/' "$stage/DEBIAN/control"
fi
mkdir -p dist
out="dist/desktopchat${variant}_${version}_${arch}.deb"
# gzip, not xz: xz needs ~10 minutes on two busy cores for a few percent (the weights are
# quantised already), and every dpkg reads gzip.
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out"
echo "package: $out ($(du -h "$out" | cut -f1); bundle $(du -sh build/dist/desktopchat | cut -f1))"
