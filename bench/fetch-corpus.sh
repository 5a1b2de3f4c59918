#!/usr/bin/env bash
# Fetches the raw material of the benchmark corpus from Debian into
# ${DOSSIER_BENCH_DIR:-$HOME/.cache/dossier-bench}/src, once:
#
#   - dictionaries (dictd format, gzip-compatible): GCIDE, the GNU
#     Collaborative International Dictionary of English (Webster 1913 plus
#     WordNet), and FOLDOC, the Free On-line Dictionary of Computing;
#   - fortune cookie files in English, German, Russian, Spanish, Italian,
#     Polish and Czech (quotations, jokes, poems);
#   - the translated long descriptions of every Debian package of the
#     release (Translation-en, -de, -fr, -it, -es, -ru, -uk, -pl, -pt_BR).
#
# Packages are fetched with `apt-get download` and unpacked with
# `dpkg-deb -x` (nothing is installed, no daemon starts, no root needed).
# The Translation files come from a private `apt-get update` whose lists and
# cache live under the bench folder, so the system's apt state is untouched
# (Debian's Docker images switch Translation files off system-wide).
#
# The corpus generator (bench/corpus) turns this into .eml files; the
# benchmark (`make bench`) runs this script when src/ is missing.
# Usage: bench/fetch-corpus.sh [--force]
set -euo pipefail

DIR=${DOSSIER_BENCH_DIR:-$HOME/.cache/dossier-bench}
SRC=$DIR/src
PKGS=(dict-gcide dict-foldoc fortunes fortunes-de fortunes-ru fortunes-es fortunes-it fortunes-pl fortunes-cs)
LANGS=(en de fr it es ru uk pl pt_BR)

if [ "${1:-}" != "--force" ] && [ -f "$SRC/.complete" ]; then
  exit 0
fi
for tool in apt-get dpkg-deb /usr/lib/apt/apt-helper; do
  if ! command -v "$tool" >/dev/null; then
    echo "fetch-corpus: needs $tool (Debian or Ubuntu's apt); the corpus comes from Debian packages" >&2
    exit 1
  fi
done

APT=$DIR/apt
rm -rf "$SRC" "$APT"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts" "$APT/debs" "$SRC/i18n"
# Keep the system's apt settings (proxies, mirrors) except the ones that
# switch Translation files off.
for f in /etc/apt/apt.conf.d/*; do
  [ -f "$f" ] || continue
  grep -q 'Acquire::Languages' "$f" || cp "$f" "$APT/parts/"
done
{
  echo "Dir::Etc::Parts \"$APT/parts\";"
  echo "Dir::State::Lists \"$APT/lists\";"
  echo "Dir::Cache \"$APT/cache\";"
  printf 'Acquire::Languages {'
  for l in "${LANGS[@]}"; do printf ' "%s";' "$l"; done
  echo ' };'
  echo 'Acquire::IndexTargets::deb::DEP-11::DefaultEnabled "false";'
  echo 'Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled "false";'
  echo 'Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled "false";'
  # As root, apt downloads as the _apt user, who cannot write to $HOME.
  [ "$(id -u)" -ne 0 ] || echo 'APT::Sandbox::User "root";'
} >"$APT/apt.conf"
export APT_CONFIG=$APT/apt.conf

echo "fetch-corpus: apt-get update (private lists in $APT)" >&2
apt-get update -qq >&2
echo "fetch-corpus: apt-get download ${PKGS[*]}" >&2
(cd "$APT/debs" && apt-get download -qq "${PKGS[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 || true)

: >"$SRC/VERSIONS"
for p in "${PKGS[@]}"; do
  deb=$(ls "$APT/debs/${p}"_*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then
    echo "fetch-corpus: apt-get download $p failed" >&2
    exit 1
  fi
  dpkg-deb -x "$deb" "$SRC"
  echo "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >>"$SRC/VERSIONS"
done

# The release's own Translation files (not -updates or -security, which
# change every week): .../dists/<suite>/main/i18n/Translation-<lang>.
found=0
for f in "$APT"/lists/*_dists_*_main_i18n_Translation-*; do
  base=$(basename "$f")
  [[ $base =~ _dists_([a-z]+)_main_i18n_Translation-([A-Za-z_%0-9]+)(\.[a-z0-9]+)?$ ]] || continue
  suite=${BASH_REMATCH[1]}
  lang=${BASH_REMATCH[2]//%5f/_}
  /usr/lib/apt/apt-helper cat-file "$f" >"$SRC/i18n/Translation-$lang"
  echo "Translation-$lang $suite $(wc -c <"$SRC/i18n/Translation-$lang") bytes" >>"$SRC/VERSIONS"
  found=$((found + 1))
done
if [ "$found" -eq 0 ]; then
  echo "fetch-corpus: no Translation files came down; check the apt sources" >&2
  exit 1
fi
for r in "$APT"/lists/*_InRelease; do
  grep -m1 '^Date:' "$r" | sed "s|^|$(basename "$r") |" >>"$SRC/VERSIONS"
done
rm -rf "$APT"
touch "$SRC/.complete"
echo "fetch-corpus: done; sources in $SRC" >&2
