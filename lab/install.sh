#!/bin/bash
# lab/install.sh [6.1|6.12|all]: everything the leak lab needs, in a scratch folder outside the
# repository ($LABCACHE, default /work/labcache). Run as root on a Debian 12 host.
#  - tools from Debian's packages (apt-get install): qemu, busybox-static, makedumpfile, crash,
#    cpio, kmod, gcc, make, libelf-dev, dwarves (pahole: 6.12's module build wants it), xz-utils.
#  - per kernel, fetched with `apt-get download` and unpacked with `dpkg -x` into
#    $LABCACHE/k/<kernel>/root (nothing goes to /boot or /usr/src): the image, its -dbg vmlinux,
#    the headers (arch + common) and kbuild, for building the scenario modules; the kernel's own
#    linux-source tarball for a static page-types.
#    6.1  = Debian 12's linux-image-6.1.0-56-amd64 (6.1.192-2)
#    6.12 = linux-image-6.12.118+deb12-amd64 (6.12.118-1~deb12u1), Debian's 6.12 as shipped for
#           Debian 12 in bookworm-security; the same 6.12 longterm series as Debian 13's kernel.
#  - crash 8.0.6 from Debian 13 (trixie) into a private root ($LABCACHE/trixie/root): bookworm's
#    8.0.2 cannot gather the task table of 6.1.19x (struct pid numbers[] flex array).
# Then lab/build.sh builds the guest side for each kernel.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/kernels.sh"
WHICH=${1:-all}
case $WHICH in all) KERNELS="6.1 6.12" ;; 6.1|6.12) KERNELS=$WHICH ;; *) echo "usage: $0 [6.1|6.12|all]"; exit 2 ;; esac
mkdir -p "$LABCACHE"/{debs,k,src,trixie/debs,apt/lists/partial,apt/empty,apt/cache}

need=""
for p in qemu-system-x86 busybox-static makedumpfile crash cpio kmod gcc make libelf-dev dwarves xz-utils \
	 python3 bc flex bison; do
	dpkg -s "$p" >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
	apt-get update -qq || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi

# a private apt view of trixie on the mirror this machine already uses: only for crash 8.0.6
MIRROR=$(grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
	grep -v security | head -1 | tr -d ' ' || true)
echo "deb ${MIRROR:-http://deb.debian.org/debian} trixie main" > "$LABCACHE/apt/trixie.list"
TA="-o Dir::Etc::SourceList=$LABCACHE/apt/trixie.list -o Dir::Etc::SourceParts=$LABCACHE/apt/empty
    -o Dir::State::Lists=$LABCACHE/apt/lists -o Dir::Cache=$LABCACHE/apt/cache"
if [ ! -x "$LABCACHE/trixie/root/usr/bin/crash" ]; then
	apt-get $TA update -qq
	(cd "$LABCACHE/trixie/debs" && apt-get $TA download crash libc6 libgcc-s1 liblzo2-2 libncursesw6 \
		libsnappy1v5 libstdc++6 libtinfo6 libzstd1 zlib1g)
	for d in "$LABCACHE"/trixie/debs/*.deb; do dpkg -x "$d" "$LABCACHE/trixie/root"; done
fi
crash806 --version | head -1

getdeb() {  # getdeb PACKAGE[=VERSION]: download once into $LABCACHE/debs, print the file
	local name=${1%%=*}
	if ! ls "$LABCACHE"/debs/${name}_*.deb >/dev/null 2>&1; then
		(cd "$LABCACHE/debs" && apt-get download "$1" >/dev/null 2>&1 || apt-get download "$name" >/dev/null)
	fi
	ls "$LABCACHE"/debs/${name}_*.deb | head -1
}
for v in $KERNELS; do
	kver=$(kver_of $v); pv=$(pkgver_of $v); R=$(kroot $v); mkdir -p "$R"
	if [ ! -f "$(vmlinuz_of $v)" ]; then
		for p in linux-image-$kver=$pv linux-headers-$kver=$pv linux-headers-$(kcommon_of $v)=$pv $(kbuild_of $v); do
			dpkg -x "$(getdeb "$p")" "$R"
		done
		# the arch headers' Makefile includes the common tree by absolute path: point it here
		sed -i "s#^include /usr/src/#include $R/usr/src/#" "$(kheaders_of $v)/Makefile"
	fi
	if [ ! -f "$(vmlinux_of $v)" ]; then
		(cd "$R" && dpkg-deb --fsys-tarfile "$(getdeb linux-image-$kver-dbg=$pv)" | tar -x --wildcards './usr/lib/debug/boot/*')
	fi
	s=$(ksrc_of $v)
	if [ ! -d "$LABCACHE/src/$s/tools" ]; then
		(cd "$LABCACHE/src" && dpkg-deb --fsys-tarfile "$(getdeb $s)" | tar -xO ./usr/src/$s.tar.xz |
			tar -xJ $s/tools $s/include/uapi)
	fi
	[ -n "${LAB_NO_BUILD:-}" ] || "$HERE/build.sh" "$v"
done
