#!/usr/bin/env bash
# Time from launch to the main window being shown on a real X server.
#
#   xvfb-run -a -s "-screen 0 1920x1080x24" bash packaging/time_start.sh \
#       build/dist/optgui/optgui --screenshot build/optgui-xcb.png
#
# Starts the command, polls the X server (xwininfo, from x11-utils) until a
# viewable "optgui — …" window exists, prints the time and the window's WM_CLASS,
# then waits for the app (give it --screenshot so it quits by itself).
set -uo pipefail
now_ms() { echo $(($(date +%s%N) / 1000000)); }
start=$(now_ms)
"$@" &
pid=$!
shown=""
while [ $(($(now_ms) - start)) -lt 60000 ] && kill -0 "$pid" 2>/dev/null; do
  id=$(xwininfo -root -tree 2>/dev/null | grep -m1 '"optgui — ' | awk '{print $1}')
  if [ -n "$id" ] && xwininfo -id "$id" 2>/dev/null | grep -q IsViewable; then
    shown=$(($(now_ms) - start))
    printf 'window shown after %d.%03d s\n' $((shown / 1000)) $((shown % 1000))
    xprop -id "$id" WM_CLASS 2>/dev/null || true
    break
  fi
  sleep 0.05
done
wait "$pid"
code=$?
if [ -z "$shown" ]; then
  echo "time_start.sh: no optgui window was shown" >&2
  exit 1
fi
exit "$code"
