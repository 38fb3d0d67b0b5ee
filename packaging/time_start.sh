#!/usr/bin/env bash
# Time from launch to a mapped main window, on a real X server (run under xvfb-run).
#   xvfb-run -a -s "-screen 0 1920x1080x24" bash packaging/time_start.sh BUNDLE/optgui [ARGS…]
# Prints "window shown after S s" and the window's WM_CLASS, then waits for the app.
set -euo pipefail
start=$(date +%s.%N)
"$@" &
pid=$!
shown=""
for _ in $(seq 1 600); do  # at most 60 s
  if xwininfo -root -tree 2>/dev/null | grep -q '"optgui — '; then
    id=$(xwininfo -root -tree | grep '"optgui — ' | head -1 | awk '{print $1}')
    if xwininfo -id "$id" | grep -q "IsViewable"; then
      shown=$(echo "$(date +%s.%N) - $start" | bc)
      echo "window shown after ${shown} s"
      xprop -id "$id" WM_CLASS || true
      break
    fi
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
wait "$pid"
code=$?
[ -n "$shown" ] || { echo "no window was shown" >&2; exit 1; }
exit "$code"
