# global userspace OOM: one program allocates until the OOM killer ends it (no swap)
inject() { datasvc 8 0 > /tmp/h.txt & H=$!; wait $H; truth family USERSPACE_OOM; truth victim datasvc; truth injected_bytes 0; }
