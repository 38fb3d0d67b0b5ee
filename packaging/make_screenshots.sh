#!/usr/bin/env bash
# Screenshots of every tab for the README, made with the app's own --screenshot
# on a virtual X screen (xvfb-run): bash packaging/make_screenshots.sh [python]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
OUT=resources/screenshots
mkdir -p "$OUT"
shoot() {  # file tab steps
  local dir
  dir=$(mktemp -d)
  printf '[welcome]\nseen=true\n' > "$dir/optgui.ini"   # no first-start banner
  OPTGUI_SETTINGS_DIR="$dir" xvfb-run -a -s "-screen 0 1920x1080x24" \
    "$PY" -m optgui --tab "$2" --steps "$3" --size 1600x900 --screenshot "$OUT/$1.png"
  rm -rf "$dir"
  echo "$OUT/$1.png"
}
shoot regression "Regression" 25
shoot classification "Classification" 60
shoot network "2-2-1 Network" 3000
shoot newton1d "Newton 1-D" 6
shoot newton2d "Newton 2-D" 8
shoot hessian "Hessian Explorer" 0
