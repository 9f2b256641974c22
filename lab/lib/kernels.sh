# lab/lib/kernels.sh: the two Debian kernels the lab boots, and where their pieces live.
# Sourced by install.sh, build.sh, run.sh.
LABCACHE=${LABCACHE:-/work/labcache}
kver_of()   { case $1 in 6.1) echo 6.1.0-56-amd64 ;; 6.12) echo 6.12.118+deb12-amd64 ;; *) return 1 ;; esac; }
pkgver_of() { case $1 in 6.1) echo 6.1.192-2 ;; 6.12) echo 6.12.118-1~deb12u1 ;; esac; }
kcommon_of() { case $1 in 6.1) echo 6.1.0-56-common ;; 6.12) echo 6.12.118+deb12-common ;; esac; }
kbuild_of() { case $1 in 6.1) echo linux-kbuild-6.1 ;; 6.12) echo linux-kbuild-6.12.118+deb12 ;; esac; }
ksrc_of()   { case $1 in 6.1) echo linux-source-6.1 ;; 6.12) echo linux-source-6.12 ;; esac; }
# page-types lives in tools/vm up to 6.2 and tools/mm from 6.3
ptdir_of()  { case $1 in 6.1) echo tools/vm ;; 6.12) echo tools/mm ;; esac; }
kroot()     { echo "$LABCACHE/k/$1/root"; }
vmlinuz_of() { echo "$(kroot $1)/boot/vmlinuz-$(kver_of $1)"; }
vmlinux_of() { echo "$(kroot $1)/usr/lib/debug/boot/vmlinux-$(kver_of $1)"; }
kheaders_of() { echo "$(kroot $1)/usr/src/linux-headers-$(kver_of $1)"; }
initrd_of() { echo "$LABCACHE/build/$1/initramfs.cpio.gz"; }
crash806()  {
	local R=$LABCACHE/trixie/root
	"$R/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" \
		--library-path "$R/usr/lib/x86_64-linux-gnu:$R/lib/x86_64-linux-gnu" "$R/usr/bin/crash" "$@"
}
