#!/usr/bin/env bash
# Measures how long `npm start` takes until /api/health answers, on an empty data folder (migrations,
# admin, demo seeding) and on an existing one, and the server's peak memory (max RSS) after a short
# browse. Usage: scripts/measure-start.sh [runs]   (the client must be built: npx vite build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
port=3399
dir=$(mktemp -d)
measure() { # $1 = label
  local t0 t1 pid
  t0=$(date +%s%N)
  FUPIN_DATA_DIR="$dir/data" PORT=$port FUPIN_ADMIN_PASSWORD=measure-pass-1 FUPIN_LOG_LEVEL=warn \
    /usr/bin/time -f "%M" -o "$dir/rss" node bin/fupin.mjs serve --no-build >"$dir/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/api/health" >/dev/null; do sleep 0.05; done
  t1=$(date +%s%N)
  # A short browse: sign in and read the county page and the user list.
  curl -sf -c "$dir/cj" -H 'content-type: application/json' -d '{"username":"admin","password":"measure-pass-1"}' "http://127.0.0.1:$port/api/auth/login" >/dev/null
  for _ in 1 2 3 4 5; do
    curl -sf -b "$dir/cj" "http://127.0.0.1:$port/api/areas/430181000000" >/dev/null
    curl -sf -b "$dir/cj" "http://127.0.0.1:$port/api/users" >/dev/null
  done
  kill -INT "$(pgrep -P $pid node || echo $pid)" 2>/dev/null || kill -INT $pid
  wait $pid || true
  echo "$1: $(( (t1 - t0) / 1000000 )) ms to first /api/health; peak RSS $(( $(cat "$dir/rss") / 1024 )) MiB"
}
for i in $(seq 1 "$runs"); do
  rm -rf "$dir/data"
  measure "empty data folder   (run $i)"
  measure "existing data folder (run $i)"
done
rm -rf "$dir"
