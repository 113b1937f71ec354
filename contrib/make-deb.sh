#!/bin/bash
# Build trapmon's Debian package as from a clean checkout, then check it
# with lintian: the files git tracks (with their working-tree contents)
# are copied to an empty directory, `dpkg-buildpackage -us -uc -b` builds
# there, and the .deb lands in OUTDIR (default: the current directory).
# lintian must report no error and no warning; the tags the package
# overrides are in debian/trapmon.lintian-overrides, each with its reason.
# DEB_BUILD_OPTIONS=nocheck skips the package build's `make check`.
# Usage: contrib/make-deb.sh [OUTDIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-.}" && cd "${1:-.}" && pwd)
for tool in dpkg-buildpackage dh lintian git; do
	command -v $tool > /dev/null || {
		echo "make-deb: $tool is missing: apt-get install dpkg-dev debhelper lintian git" >&2
		exit 1
	}
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/trapmon"
(cd "$src" && git ls-files -z | xargs -0 tar cf -) | tar xf - -C "$work/trapmon"
(cd "$work/trapmon" && dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1 ||
	{ tail -n 40 "$work/build.log"; echo "make-deb: dpkg-buildpackage failed" >&2; exit 1; }
deb=$(ls "$work"/trapmon_*.deb)
cp "$deb" "$out/"
echo "make-deb: built $out/$(basename "$deb")"
# Every tag lintian emits is shown (-I: info too); errors and warnings fail.
lintian -I --fail-on error,warning "$deb" || {
	echo "make-deb: lintian reports errors or warnings" >&2
	exit 1
}
echo "make-deb: lintian: no errors, no warnings"
