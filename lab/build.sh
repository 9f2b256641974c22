#!/bin/bash
# lab/build.sh KERNEL: build the guest side for one kernel (6.1 or 6.12) into $LABCACHE/build/KERNEL:
# the scenario modules, static user programs, a static page-types from that kernel's own source,
# and a busybox initramfs holding them and the virtio/9p modules the guest needs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/kernels.sh"
v=${1:?usage: build.sh 6.1|6.12}
kver=$(kver_of $v); B=$LABCACHE/build/$v; R=$(kroot $v)
if [ "${2:-}" != --initramfs-only ]; then   # --initramfs-only: reuse modules and programs, repack the guest
rm -rf "$B/mod" && mkdir -p "$B/mod" "$B/user"
# modules: built out of tree in a copy (the kernel build writes beside the sources)
cp "$HERE"/modules/*.c "$HERE"/modules/*.h "$HERE"/modules/Kbuild "$B/mod/"
make -s -C "$(kheaders_of $v)" M="$B/mod" modules 2>&1 | grep -v 'Skipping BTF' || true
ls "$B"/mod/*.ko >/dev/null
# user programs, static so the initramfs needs no libc
for c in "$HERE"/user/*.c; do gcc -O2 -static -pthread -o "$B/user/$(basename "$c" .c)" "$c"; done
# page-types from the kernel's own tools (flag names and semantics follow the kernel)
S=$LABCACHE/src/$(ksrc_of $v)/$(ptdir_of $v)
[ -x "$S/page-types" ] || make -s -C "$S" page-types LDFLAGS='-static ../lib/api/libapi.a -pthread'
fi
S=$LABCACHE/src/$(ksrc_of $v)/$(ptdir_of $v)
# initramfs
I=$B/initramfs; rm -rf "$I"; mkdir -p "$I"/{bin,sbin,usr/bin,proc,sys,dev,tmp,out,kmod,lab,guest}
cp /bin/busybox "$I/bin/busybox"
cp "$HERE/guest/init" "$I/init"; chmod +x "$I/init"
cp -r "$HERE/guest/lib.sh" "$HERE/guest/scenarios" "$I/guest/"
cp "$B"/user/* "$S/page-types" "$I/usr/bin/"
cp "$B"/mod/*.ko "$I/lab/"
# the guest's own drivers (virtio, 9p, fw_cfg, rng), dependencies first, decompressed for busybox insmod
M=$R/lib/modules/$kver/kernel
declare -A seen; order=()
add() {
	local f; f=$(find "$M" -name "$1.ko" -o -name "$1.ko.xz" | head -1)
	[ -n "$f" ] || return 0          # built into this kernel
	[ -n "${seen[$1]:-}" ] && return 0; seen[$1]=1
	local d; for d in $(modinfo -F depends "$f" | tr ',' ' '); do add "$d"; done
	case $f in *.xz) xz -dc "$f" > "$I/kmod/$1.ko" ;; *) cp "$f" "$I/kmod/$1.ko" ;; esac
	order+=("$1")
}
for m in virtio_pci 9pnet_virtio 9p qemu_fw_cfg virtio-rng; do add $m; done
printf '%s\n' "${order[@]}" > "$I/kmod/order"
echo "$v" > "$I/lab/kernel"
(cd "$I" && find . | cpio -o -H newc --quiet | gzip -1 > "$B/initramfs.cpio.gz.new") && mv "$B/initramfs.cpio.gz.new" "$B/initramfs.cpio.gz"
echo "build $v: $(ls "$B"/mod/*.ko | wc -l) modules, initramfs $(du -h "$B/initramfs.cpio.gz" | cut -f1)"
