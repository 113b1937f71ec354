#!/bin/bash
# Prepare the netdevsim lab once: Debian's 6.1 kernel image, the modules the
# scenarios need, an out-of-tree netdevsim.ko and a base initramfs holding
# busybox, iproute2 and the dropwatch peers.  Everything lands in a cache
# outside the work tree, keyed on the kernel release; a second run reuses it.
set -euo pipefail

CACHE_ROOT=${TRAPMON_LAB_CACHE:-/var/cache/trapmon-lab}
export DEBIAN_FRONTEND=noninteractive

die() { echo "prepare: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (it installs packages): sudo $0"

need_pkgs=()
for p in qemu-system-x86 busybox-static cpio linux-headers-amd64 iproute2 dropwatch jq \
         binutils make gcc xz-utils libcap2-bin; do
	dpkg -s "$p" >/dev/null 2>&1 || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
	apt-get update -q >/dev/null
	apt-get install -y -q "${need_pkgs[@]}" >/dev/null
fi

# The release the metapackage points at, e.g. 6.1.0-56-amd64.
REL=$(dpkg -s linux-headers-amd64 | sed -n 's/^Depends: linux-headers-\([^ ,]*\).*/\1/p')
[ -n "$REL" ] || die "cannot tell which kernel linux-headers-amd64 installs"
[ -d "/usr/src/linux-headers-$REL" ] || die "missing /usr/src/linux-headers-$REL"

# The cache key: kernel release plus the lab's contents, so a new module
# or binary in the list below rebuilds it.
LAB_MODULES="netdevsim drop_monitor psample 8021q vxlan bridge veth dummy virtio_pci virtio_blk
	sch_ingress cls_matchall act_gact"
LAB_KEY=$(echo "$LAB_MODULES dwdump dropwatch jq split-modules capsh" | md5sum | cut -c1-8)
CACHE="$CACHE_ROOT/$REL-$LAB_KEY"
if [ -f "$CACHE/.complete" ]; then
	echo "$CACHE"
	exit 0
fi
rm -rf "$CACHE"
mkdir -p "$CACHE"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
t0=$(date +%s)

cd "$WORK"
apt-get download -q "linux-image-$REL" linux-source-6.1 >/dev/null 2>&1 || {
	apt-get update -q >/dev/null
	apt-get download -q "linux-image-$REL" linux-source-6.1 >/dev/null
}
dpkg-deb -x linux-image-"$REL"_*.deb img
dpkg-deb -x linux-source-6.1_*.deb src
cp "img/boot/vmlinuz-$REL" "$CACHE/vmlinuz"

# netdevsim, built out of tree against the packaged headers.
tar -xf src/usr/src/linux-source-6.1.tar.xz --wildcards '*/drivers/net/netdevsim/*'
NSIM_DIR=$(echo "$WORK"/linux-source-6.1/drivers/net/netdevsim)
make -s -C "/usr/src/linux-headers-$REL" M="$NSIM_DIR" CONFIG_NETDEVSIM=m modules >/dev/null 2>&1
mkdir -p "$CACHE/modules"
cp "$NSIM_DIR/netdevsim.ko" "$CACHE/modules/"

# Copy a module and, recursively, what its .modinfo depends= line names.
KDIR="img/lib/modules/$REL/kernel"
declare -A have=()
collect() {
	local name=$1 ko deps d
	[ -n "${have[$name]:-}" ] && return 0
	have[$name]=1
	if [ "$name" = netdevsim ]; then
		ko="$CACHE/modules/netdevsim.ko"
	else
		ko=$(find "$KDIR" -name "$name.ko" -o -name "$name.ko.xz" | head -n1)
		[ -n "$ko" ] || die "module $name not found in linux-image-$REL"
		case "$ko" in *.xz) xz -dc "$ko" > "$CACHE/modules/$name.ko" ;;
		              *) cp "$ko" "$CACHE/modules/$name.ko" ;; esac
		ko="$CACHE/modules/$name.ko"
	fi
	deps=$(strings "$ko" | sed -n 's/^depends=//p' | tr ',' ' ')
	for d in $deps; do collect "$d"; done
	# Load order: dependencies first.
	echo "$name" >> "$CACHE/modules/order"
}
: > "$CACHE/modules/order"
for m in $LAB_MODULES; do
	collect "$m"
done

# Base initramfs: busybox, iproute2 and the dropwatch peers with their
# libraries, for any lab kernel. The 6.1 modules are a separate archive, so
# a kernel with everything built in (the 5.4 lab kernel) boots without them.
MODROOT="$WORK/modroot"
mkdir -p "$MODROOT/lib/modules"
cp "$CACHE"/modules/*.ko "$CACHE/modules/order" "$MODROOT/lib/modules/"
(cd "$MODROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$CACHE/modules.cpio.gz"
ROOT="$WORK/root"
mkdir -p "$ROOT"/{bin,sbin,etc,proc,sys,dev,tmp,run,out,lib/modules,usr/bin,usr/sbin,lib64}
cp /bin/busybox "$ROOT/bin/busybox"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$ROOT/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' > "$ROOT/etc/group"
"$(dirname "$(readlink -f "$0")")/copy-bin.sh" "$ROOT" \
	"$(command -v devlink)" "$(command -v ip)" "$(command -v tc)" \
	"$(command -v dwdump)" "$(command -v dropwatch)" "$(command -v jq)" "$(command -v capsh)"
# dropwatch resolves symbols through /proc/kallsyms only; nothing more to copy.
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$CACHE/base.cpio.gz"

echo "$(( $(date +%s) - t0 ))" > "$CACHE/prepare-seconds"
touch "$CACHE/.complete"
echo "$CACHE"
