#!/usr/bin/env bash
# Build the double-click app on this desktop, then check that it works:
#   Linux:   build/dist/optgui/optgui        (a one-folder bundle)
#   Windows: build/dist/optgui/optgui.exe    (a one-folder bundle; run in Git Bash)
#   macOS:   build/dist/optgui.app           (an app bundle)
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
case "$(uname -s)" in
  Darwin) BUNDLE="$DIST/optgui.app"; PROGRAM="$BUNDLE/Contents/MacOS/optgui" ;;
  MINGW* | MSYS* | CYGWIN*) BUNDLE="$DIST/optgui"; PROGRAM="$BUNDLE/optgui.exe" ;;
  *) BUNDLE="$DIST/optgui"; PROGRAM="$BUNDLE/optgui" ;;
esac

if [ -n "${OPTGUI_BUILD_PYTHON:-}" ]; then
  PY="$OPTGUI_BUILD_PYTHON"
else
  if [ ! -d "$OUT/venv" ]; then
    echo "== creating $OUT/venv"
    python3 -m venv "$OUT/venv"
  fi
  PY="$OUT/venv/bin/python"
  [ -x "$PY" ] || PY="$OUT/venv/Scripts/python.exe"
fi

echo "== installing optgui[package] into $("$PY" -c 'import sys; print(sys.prefix)')"
"$PY" -m pip install --quiet --disable-pip-version-check ".[package]"

echo "== PyInstaller"
SECONDS=0
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$OUT/work" packaging/optgui.spec
echo "built in ${SECONDS} s"

if [ "$(uname -s)" = Darwin ]; then
  # Apple silicon runs only signed code: sign the whole app ad hoc (no Apple
  # certificate: Gatekeeper asks once, see the README) and check the signature.
  echo "== codesign (ad hoc)"
  codesign --force --deep --sign - "$BUNDLE"
  codesign --verify --deep --strict --verbose=2 "$BUNDLE"
fi

echo "== bundle"
du -sh "$BUNDLE"
du -sk "$BUNDLE" | awk '{ printf "bundle size: %.1f MiB\n", $1 / 1024 }'
if du -S -k "$BUNDLE" >/dev/null 2>&1; then  # (GNU du: not macOS's)
  echo "largest folders (files directly in each):"
  (cd "$BUNDLE" && du -S -k . | sort -rn | head -10) \
    | awk '{ printf "  %6.1f MiB  %s\n", $1 / 1024, $2 }'
fi

echo "== smoke test (offscreen)"
TIMEFORMAT="smoke test took %R s"
time QT_QPA_PLATFORM=offscreen "$PROGRAM" --smoke-test

if [ "$(uname -s)" != Linux ]; then
  :  # (the X server start below is Linux's)
elif command -v xvfb-run >/dev/null && command -v xwininfo >/dev/null; then
  echo "== start on a real X server (xvfb, xcb)"
  env -u QT_QPA_PLATFORM xvfb-run -a -s "-screen 0 1920x1080x24" \
    bash packaging/time_start.sh "$PROGRAM" --screenshot "$OUT/optgui-xcb.png"
  echo "screenshot: $OUT/optgui-xcb.png"
elif [ -n "${CI:-}" ]; then
  echo "build.sh: CI needs xvfb-run and xwininfo (apt: xvfb xauth x11-utils)" >&2
  exit 1
else
  echo "== (no xvfb-run/xwininfo: skipped the X server start)"
fi
