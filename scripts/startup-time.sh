#!/bin/sh
# Measures how long the real binary takes to map its window and how much
# memory it holds once settled: scripts/startup-time.sh BIN PROJECT [RUNS].
# Needs DISPLAY (an Xvfb), xdotool and a project that is already indexed.
# Prints one line per run: ms until the window is mapped; the CPU time the
# process and its main thread (where Fyne builds, lays out and maps the
# window) had used by then, which unlike the wall time hardly depends on
# what else the machine runs; RSS in MB after 8 seconds (library and facets
# loaded).
set -eu
bin=$1 proj=$2 runs=${3:-3}
tick=$(getconf CLK_TCK)
# cpu FILE prints utime+stime of a /proc stat file in ms; the fields are
# counted after the command name, which may hold spaces.
cpu() { sed 's/.*) //' "$1" | awk -v t="$tick" '{print int(($12 + $13) * 1000 / t)}'; }
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	start=$(date +%s%N)
	"$bin" --project "$proj" >/dev/null 2>&1 &
	pid=$!
	until xdotool search --onlyvisible --pid "$pid" --name '^Dossier' >/dev/null 2>&1; do
		if ! kill -0 "$pid" 2>/dev/null || [ $(( $(date +%s) - start / 1000000000 )) -gt 60 ]; then
			echo "run $i: no window within 60 s" >&2
			kill "$pid" 2>/dev/null || true
			exit 1
		fi
		sleep 0.01
	done
	shown=$(( ($(date +%s%N) - start) / 1000000 ))
	all=$(cpu "/proc/$pid/stat")
	main=$(cpu "/proc/$pid/task/$pid/stat")
	sleep 8
	rss=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
	hwm=$(awk '/^VmHWM/ {print int($2/1024)}' "/proc/$pid/status")
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	echo "run $i: window mapped ${shown} ms (CPU by then ${all} ms, main thread ${main} ms), RSS ${rss} MB (peak ${hwm} MB)"
done
