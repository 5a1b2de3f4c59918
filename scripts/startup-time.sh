#!/bin/sh
# Measures how long the real binary takes to map its window and how much
# memory it holds once settled: scripts/startup-time.sh BIN PROJECT [RUNS].
# Needs DISPLAY (an Xvfb), xdotool and a project that is already indexed.
# Prints one line per run: ms until the window is mapped, RSS in MB after
# 8 seconds (library and facets loaded).
set -eu
bin=$1 proj=$2 runs=${3:-3}
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	start=$(date +%s%N)
	"$bin" --project "$proj" >/dev/null 2>&1 &
	pid=$!
	until xdotool search --onlyvisible --pid "$pid" --name '^Dossier' >/dev/null 2>&1; do
		sleep 0.01
	done
	shown=$(( ($(date +%s%N) - start) / 1000000 ))
	sleep 8
	rss=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "run $i: window mapped ${shown} ms, RSS ${rss} MB (peak ${hwm} MB)"
done
