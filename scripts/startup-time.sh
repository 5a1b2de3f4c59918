#!/bin/sh
# Measures how long the real binary takes to map its window and how much
# memory it holds once settled: scripts/startup-time.sh BIN PROJECT [RUNS].
# Needs DISPLAY (a local Xvfb), Go, and a project that is already indexed.
# Prints one line per run (see bench/cmd/winmap): ms until the X server
# mapped the window; the CPU time the process and its main thread (where
# Fyne builds, lays out and maps the window) had used by then, which
# unlike the wall time hardly depends on what else the machine runs; RSS
# in MB after 8 seconds (library and facets loaded), and the peak.
set -eu
bin=$1 proj=$2 runs=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$(dirname "$0")/.." && go build -o "$tmp/winmap" ./bench/cmd/winmap)
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	printf 'run %d: ' "$i"
	"$tmp/winmap" -settle 8s -- "$bin" --project "$proj"
done
