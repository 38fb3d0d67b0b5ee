#!/usr/bin/env bash
# Build the double-click app: a one-folder bundle build/dist/optgui/ whose
# program is build/dist/optgui/optgui, then check that it works.
#
#   bash packaging/build.sh                      # fresh venv in build/venv
#   OPTGUI_BUILD_PYTHON=.venv/bin/python bash packaging/build.sh   # use that env
#
# Steps: install optgui with its `package` extra (PyInstaller), run
# packaging/optgui.spec, print the bundle's size and largest folders, run the
# bundle's --smoke-test on Qt's offscreen platform (timed), and, when xvfb-run
# and xwininfo are there, start it on a real X server (xcb) and time the window.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

OUT=build
DIST="$OUT/dist"
BUNDLE="$DIST/optgui"

if [ -n "${OPTGUI_BUILD_PYTHON:-}" ]; then
  PY="$OPTGUI_BUILD_PYTHON"
else
  if [ ! -x "$OUT/venv/bin/python" ]; then
    echo "== creating $OUT/venv"
    python3 -m venv "$OUT/venv"
  fi
  PY="$OUT/venv/bin/python"
fi

echo "== installing optgui[package] into $("$PY" -c 'import sys; print(sys.prefix)')"
"$PY" -m pip install --quiet --disable-pip-version-check ".[package]"

echo "== PyInstaller"
SECONDS=0
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$OUT/work" packaging/optgui.spec
echo "built in ${SECONDS} s"

echo "== bundle"
du -sh "$BUNDLE"
echo "largest folders (files directly in each):"
(cd "$BUNDLE" && du -S -k . | sort -rn | head -10) \
  | awk '{ printf "  %6.1f MiB  %s\n", $1 / 1024, $2 }'

echo "== smoke test (offscreen)"
TIMEFORMAT="smoke test took %R s"
time QT_QPA_PLATFORM=offscreen "$BUNDLE/optgui" --smoke-test

if command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
  echo "== start on a real X server (xvfb, xcb)"
  env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24" \
    bash packaging/time_start.sh "$BUNDLE/optgui" --screenshot "$OUT/optgui-xcb.png"
  echo "screenshot: $OUT/optgui-xcb.png"
elif [ -n "${CI:-}" ]; then
  echo "build.sh: CI needs xvfb-run and xwininfo (apt: xvfb xauth x11-utils)" >&2
  exit 1
else
  echo "== (no xvfb-run/xwininfo: skipped the X server start)"
fi
