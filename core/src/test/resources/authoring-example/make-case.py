#!/usr/bin/env python3
"""Builds cases/tcp-rcvqueue-built from the real lab-baseline /proc/meminfo (authoring guide's example).

    python3 make-case.py cases/tcp-rcvqueue-built

A consumer service (made up) keeps 405 TCP connections open and stops reading them; its peers
keep sending, so every receive queue fills up to the receive buffer autotuning grants it. The
host's tcp_mem was raised by a tuning profile ("net.ipv4.tcp_mem = 786432 1048576 1572864",
pages), so TCP is never pushed back and its memory reaches 300 MiB of a 1.9 GiB guest.

The guest is the real lab-baseline one (Debian 6.1.0-56-amd64, x86_64, 2 CPUs, 4 KiB pages);
its meminfo is kept line for line, except MemFree and MemAvailable, which lose the TCP memory.
The received data sits in page fragments (virtio_net's mergeable receive buffers are carved
from a page_frag with skb_page_frag_refill), pages no meminfo counter names, so all of it is
taken from MemFree; the sk_buff heads (skbuff_head_cache, in SUnreclaim) are left out.

proc/net/sockstat is written in the layout of net/ipv4/proc.c sockstat_seq_show() (6.1):
"TCP: inuse %d orphan %d tw %d alloc %d mem %ld" where mem is proto_memory_allocated(), pages.
Writes only the capture files, never expected.yaml.
"""
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
lab = os.environ.get("LAB", os.path.join(here, "..", "cases", "lab-baseline-proc", "proc"))
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "cases", "tcp-rcvqueue-built")
PAGE = 4096
TCP_MEM_PAGES = 76800          # 300 MiB of queued skbs
INUSE, ORPHAN, TW, ALLOC = 405, 0, 3, 412
UDP_INUSE, UDP_MEM = 4, 2
tcp_kb = TCP_MEM_PAGES * PAGE // 1024

meminfo = []
for line in open(os.path.join(lab, "meminfo")):
    key, rest = line.split(":", 1)
    kb = int(rest.split()[0]) if rest.split() else 0
    if key in ("MemFree", "MemAvailable"):
        line = "%s%*d kB\n" % (key + ":", 23 - len(key), kb - tcp_kb)
    meminfo.append(line)

sockstat = [
    "sockets: used %d\n" % (INUSE + UDP_INUSE + 131),   # + unix and other sockets of the guest
    "TCP: inuse %d orphan %d tw %d alloc %d mem %d\n" % (INUSE, ORPHAN, TW, ALLOC, TCP_MEM_PAGES),
    "UDP: inuse %d mem %d\n" % (UDP_INUSE, UDP_MEM),
    "UDPLITE: inuse 0\n",
    "RAW: inuse 0\n",
    "FRAG: inuse 0 memory 0\n",
]

os.makedirs(os.path.join(out, "proc", "net"), exist_ok=True)
open(os.path.join(out, "proc", "meminfo"), "w").writelines(meminfo)
open(os.path.join(out, "proc", "net", "sockstat"), "w").writelines(sockstat)
print("wrote", out, ": TCP mem %d pages (%d kB) taken from MemFree and MemAvailable" % (TCP_MEM_PAGES, tcp_kb))
