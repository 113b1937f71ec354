#!/bin/bash
# copy-bin.sh ROOT BIN...: copy binaries into an initramfs tree together with
# every shared library ldd lists for them, keeping the host's paths.
set -euo pipefail
ROOT=$1; shift
for bin in "$@"; do
	mkdir -p "$ROOT$(dirname "$bin")"
	cp -L "$bin" "$ROOT$bin"
	ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' | while read -r lib; do
		[ -e "$ROOT$lib" ] && continue
		mkdir -p "$ROOT$(dirname "$lib")"
		cp -L "$lib" "$ROOT$lib"
	done
done
