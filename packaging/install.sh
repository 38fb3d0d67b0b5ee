#!/usr/bin/env bash
# Put optgui in the desktop's application menu (for this user), or take it out.
#
#   ./install.sh                  in the bundle folder: the menu starts this bundle
#   bash packaging/install.sh     in a source checkout: build/dist/optgui if built,
#                                 else the `optgui` command on PATH (pip install)
#   bash packaging/install.sh /path/to/optgui-bundle-folder
#   bash packaging/install.sh --uninstall
#
# Writes $XDG_DATA_HOME (default ~/.local/share)/applications/io.github.optgui.optgui.desktop
# and the icons in icons/hicolor/{48x48,256x256,scalable}/apps/. Needs no root.
set -euo pipefail

ID=io.github.optgui.optgui
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
APPS="$DATA/applications"
ICONS="$DATA/icons/hicolor"
HERE="$(cd "$(dirname "$0")" && pwd)"

refresh() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$APPS" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -f -t "$ICONS" || true
}

if [ "${1:-}" = "--uninstall" ]; then
  rm -f "$APPS/$ID.desktop" "$ICONS/48x48/apps/$ID.png" "$ICONS/256x256/apps/$ID.png" \
    "$ICONS/scalable/apps/$ID.svg"
  refresh
  echo "optgui removed from the application menu."
  exit 0
fi
case "${1:-}" in -h | --help)
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
  ;;
esac

# Where the program and its resources (desktop entry, icons) are.
if [ -n "${1:-}" ]; then
  BUNDLE="$(cd "$1" && pwd)"
elif [ -x "$HERE/optgui" ] && [ -d "$HERE/_internal" ]; then
  BUNDLE="$HERE"  # this script sits in the bundle folder
elif [ -x "$HERE/../build/dist/optgui/optgui" ]; then
  BUNDLE="$(cd "$HERE/../build/dist/optgui" && pwd)"
else
  BUNDLE=""
fi
if [ -n "$BUNDLE" ]; then
  EXEC="$BUNDLE/optgui"
  RES="$BUNDLE/_internal/optgui/resources"
  [ -x "$EXEC" ] || { echo "install.sh: no program $EXEC" >&2; exit 1; }
else
  EXEC="$(command -v optgui || true)"
  [ -n "$EXEC" ] || {
    echo "install.sh: no bundle found and no 'optgui' command on PATH;" >&2
    echo "  build one (bash packaging/build.sh) or pip install optgui first." >&2
    exit 1
  }
  RES="$HERE/../resources"
fi
[ -f "$RES/$ID.desktop" ] || { echo "install.sh: no $RES/$ID.desktop" >&2; exit 1; }

# Desktop entries quote arguments containing spaces with double quotes.
case "$EXEC" in
  *[[:space:]]*) QUOTED="\"$EXEC\"" ;;
  *) QUOTED="$EXEC" ;;
esac

mkdir -p "$APPS" "$ICONS/48x48/apps" "$ICONS/256x256/apps" "$ICONS/scalable/apps"
sed -e "s|^Exec=.*|Exec=$QUOTED|" -e "s|^TryExec=.*|TryExec=$EXEC|" \
  "$RES/$ID.desktop" >"$APPS/$ID.desktop"
chmod 644 "$APPS/$ID.desktop"
install -m 644 "$RES/icons/optgui-48.png" "$ICONS/48x48/apps/$ID.png"
install -m 644 "$RES/icons/optgui-256.png" "$ICONS/256x256/apps/$ID.png"
install -m 644 "$RES/optgui.svg" "$ICONS/scalable/apps/$ID.svg"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate --no-hints "$APPS/$ID.desktop"
fi
refresh
echo "optgui is in the application menu (Education / Science): $APPS/$ID.desktop"
echo "It starts $EXEC. Remove it with: $0 --uninstall"
