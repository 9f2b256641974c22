"""Built multi-snapshot cases for the trend family (knowledge-base-docs/trend.md).

    python3 trend.py slab  ../cases/trend-slab-growth-built            # proc-t1/ .. proc-t4/, proc/ with /proc/uptime
    python3 trend.py churn ../cases/trend-churn-cache-lookalike-built  # proc/meminfo.<time>, proc/slabinfo.<time>, proc/ newest

Every snapshot is a whole /proc/meminfo and /proc/slabinfo of the same 8 GiB Debian 6.1 host
(field order, layout and cache list of the real lab-baseline guest, counts x10 as in slab.py),
each consistent on its own: slabinfo rows are whole slabs, SReclaimable/SUnreclaim are the sums of
the rows (+ kmalloc_large), MemFree is what is left of MemTotal after the disjoint counters and a
fixed gap, the LRU lines add up, MemAvailable follows si_mem_available()."""
import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *

MODE, OUT = sys.argv[1], sys.argv[2]
MT = 8128052
GAP = 41296
KLARGE = 4096
lab = read_lab_slab()

def snapshot(override, cached=1351876, buffers=64212):
    rows = scale(lab, 10, override)
    rec, unr = sums(rows)
    v = dict(MemTotal=MT, Buffers=buffers, Cached=cached, SwapCached=0, AnonPages=1418344,
             SReclaimable=rec, SUnreclaim=unr + KLARGE, KernelStack=9824, PageTables=18412, SecPageTables=0,
             Percpu=7424, Hugetlb=0)
    v['KReclaimable'] = v['SReclaimable']; v['Slab'] = v['SReclaimable'] + v['SUnreclaim']
    v['Shmem'] = 18236
    v['MemFree'] = MT - sum(v[p] for p in PARTS if p != 'MemFree') - GAP
    assert v['MemFree'] > 0 and gap(v) == GAP
    anon_lru = v['AnonPages'] + v['Shmem']
    file_lru = v['Cached'] - v['Shmem'] + v['Buffers']
    v['Active(anon)'] = 1291740; v['Inactive(anon)'] = anon_lru - 1291740
    v['Active(file)'] = file_lru * 6 // 10; v['Inactive(file)'] = file_lru - v['Active(file)']
    v['Unevictable'] = 0; v['Mlocked'] = 0
    v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
    v.update(SwapTotal=0, SwapFree=0, Zswap=0, Zswapped=0, Dirty=312, Writeback=0, Mapped=412268,
             NFS_Unstable=0, Bounce=0, WritebackTmp=0, CommitLimit=MT // 2, Committed_AS=2931540,
             VmallocTotal=34359738367, VmallocUsed=31212, VmallocChunk=0, HardwareCorrupted=0,
             AnonHugePages=329728, ShmemHugePages=0, ShmemPmdMapped=0, FileHugePages=0, FilePmdMapped=0,
             HugePages_Total=0, HugePages_Free=0, HugePages_Rsvd=0, HugePages_Surp=0, Hugepagesize=2048,
             DirectMap4k=270196, DirectMap2M=8118272)
    v['MemAvailable'] = memavailable(v, totalreserve=152000, wmark_low=84480)
    return v, rows

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, 'w').write(text)

if MODE == 'slab':
    # kmalloc-256 (16 objects per one-page slab) gains 7,680 slabs = 30 MiB every hour, every object in
    # use; five snapshots two hours apart by /proc/uptime; page cache wobbles by about a MiB.
    folders = ['proc-t1', 'proc-t2', 'proc-t3', 'proc-t4', 'proc']
    cached_noise = [0, 900, -600, 1200, 300]
    for k, d in enumerate(folders):
        slabs = 2000 + 15360 * k
        v, rows = snapshot({'kmalloc-256': dict(num=slabs * 16, active=slabs * 16 - (7 if k % 2 else 3))},
                           cached=1351876 + cached_noise[k])
        write(f"{OUT}/{d}/meminfo", meminfo(v))
        write(f"{OUT}/{d}/slabinfo", slabinfo(rows))
        up = 200000 + 7200 * k
        write(f"{OUT}/{d}/uptime", f"{up}.{(37 * k) % 100:02d} {2 * up - 1811}.{(53 * k) % 100:02d}\n")
        r = [x for x in rows if x['name'] == 'kmalloc-256'][0]
        print(d, 'uptime', up, 'SUnreclaim', v['SUnreclaim'], 'MemAvailable', v['MemAvailable'], 'kmalloc-256 kB', kb(r))
elif MODE == 'churn':
    # A file server over 18 hours: page cache and the dentry cache fill free memory (reclaimable), while
    # network buffers (kmalloc-1k) burst and drain: SUnreclaim ends higher but fell in between.
    times = ['20260301T0800', '20260301T1400', '20260301T2000', None]       # None: the unlabelled newest, 2026-03-02T02:00Z in case.yaml
    cached = [1351876, 2100000, 2750000, 3250000]
    dentry_slabs = [5120, 24000, 52000, 76000]
    k1k_slabs = [600, 16000, 3000, 13000]          # 8 objects of 1 KiB in a two-page slab (32 KiB)... see the lab row
    for t, c, ds, ks in zip(times, cached, dentry_slabs, k1k_slabs):
        lab_k1k = [x for x in lab if x['name'] == 'kmalloc-1k'][0]
        per = lab_k1k['per']
        v, rows = snapshot({'dentry': dict(num=ds * 21, active=ds * 21 - 40),
                            'kmalloc-1k': dict(num=ks * per, active=ks * per - 5)}, cached=c)
        suffix = '' if t is None else '.' + t
        write(f"{OUT}/proc/meminfo{suffix}", meminfo(v))
        write(f"{OUT}/proc/slabinfo{suffix}", slabinfo(rows))
        print(t, 'SUnreclaim', v['SUnreclaim'], 'SReclaimable', v['SReclaimable'], 'Cached', c, 'MemFree', v['MemFree'],
              'MemAvailable', v['MemAvailable'], 'kmalloc-1k kB', ks * lab_k1k['pages'] * 4)
    write(f"{OUT}/case.yaml", 'snapshot_times:\n  "": "2026-03-02T02:00:00Z"   # proc/meminfo and proc/slabinfo, the newest\n')
else:
    sys.exit('mode: slab or churn')
