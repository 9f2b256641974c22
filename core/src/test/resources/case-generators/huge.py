import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import os
kind = sys.argv[1]; OUT = sys.argv[2]; os.makedirs(OUT+'/proc', exist_ok=True)
if kind == 'idle':
    # 6.1 (Debian 12) x86_64, 64 GiB, hugepages=16384 on the command line for OVS-DPDK, which is not running
    MT = 65842916; N = 16384
    v = dict(MemTotal=MT, Buffers=412308, Cached=6811944, SwapCached=0, AnonPages=2309716, SReclaimable=419880, SUnreclaim=236412,
             KernelStack=14832, PageTables=22640, SecPageTables=0, Percpu=38400, Hugetlb=N*2048, Shmem=86120)
    GAP = 31344
    v['MemFree'] = MT - sum(v[p] for p in PARTS if p != 'MemFree') - GAP
    v['KReclaimable'] = v['SReclaimable']; v['Slab'] = v['SReclaimable'] + v['SUnreclaim']
    anon_lru = v['AnonPages'] + v['Shmem']; file_lru = v['Cached'] - v['Shmem'] + v['Buffers']
    v['Active(anon)'] = 1988204; v['Inactive(anon)'] = anon_lru - 1988204
    v['Active(file)'] = 3120516; v['Inactive(file)'] = file_lru - 3120516
    v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
    v.update(Unevictable=0, Mlocked=0, SwapTotal=0, SwapFree=0, Zswap=0, Zswapped=0, Dirty=204, Writeback=0, Mapped=402188,
             NFS_Unstable=0, Bounce=0, WritebackTmp=0, CommitLimit=(MT - N*2048)//2, Committed_AS=4410712,
             VmallocTotal=34359738367, VmallocUsed=88120, VmallocChunk=0, HardwareCorrupted=0,
             AnonHugePages=591872, ShmemHugePages=0, ShmemPmdMapped=0, FileHugePages=0, FilePmdMapped=0,
             HugePages_Total=N, HugePages_Free=N, HugePages_Rsvd=0, HugePages_Surp=0, Hugepagesize=2048,
             DirectMap4k=425844, DirectMap2M=12070912, DirectMap1G=55574528)
    v['MemAvailable'] = memavailable(v, totalreserve=402000, wmark_low=84480)
    order = ORDER_61 + ['DirectMap1G']
    legacy = 0
elif kind in ('inuse', 'rsvd'):
    # 4.14 x86_64 (no Percpu:, KReclaimable:, Hugetlb: keys), 128 GiB Oracle database host, hugepages for the SGA
    order = ['MemTotal','MemFree','MemAvailable','Buffers','Cached','SwapCached','Active','Inactive','Active(anon)','Inactive(anon)',
             'Active(file)','Inactive(file)','Unevictable','Mlocked','SwapTotal','SwapFree','Dirty','Writeback','AnonPages','Mapped',
             'Shmem','Slab','SReclaimable','SUnreclaim','KernelStack','PageTables','NFS_Unstable','Bounce','WritebackTmp',
             'CommitLimit','Committed_AS','VmallocTotal','VmallocUsed','VmallocChunk','HardwareCorrupted','AnonHugePages',
             'ShmemHugePages','ShmemPmdMapped','HugePages_Total','HugePages_Free','HugePages_Rsvd','HugePages_Surp','Hugepagesize',
             'DirectMap4k','DirectMap2M','DirectMap1G']
    MT = 131748372; N = 40960
    if kind == 'inuse':
        free, rsvd = 3276, 1204
        v = dict(MemTotal=MT, Buffers=262148, Cached=21403316, SwapCached=0, AnonPages=9801244, SReclaimable=1150232, SUnreclaim=540116,
                 KernelStack=36128, PageTables=611904, Shmem=1902208)
        GAP = 63752   # includes percpu, which 4.14 does not print
    else:
        # minutes after 'startup nomount': the SGA is mapped (reserved) but not yet touched
        free, rsvd = 40960, 38912
        v = dict(MemTotal=MT, Buffers=198416, Cached=6210844, SwapCached=0, AnonPages=2100412, SReclaimable=812044, SUnreclaim=498720,
                 KernelStack=28416, PageTables=90112, Shmem=1890316)
        GAP = 61988
    legacy = N*2048
    v['MemFree'] = MT - sum(v.get(p,0) for p in PARTS if p != 'MemFree') - legacy - GAP
    v['Slab'] = v['SReclaimable'] + v['SUnreclaim']
    anon_lru = v['AnonPages'] + v['Shmem']; file_lru = v['Cached'] - v['Shmem'] + v['Buffers']
    v['Active(anon)'] = int(anon_lru*0.87); v['Inactive(anon)'] = anon_lru - v['Active(anon)']
    v['Active(file)'] = int(file_lru*0.61); v['Inactive(file)'] = file_lru - v['Active(file)']
    v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
    v.update(Unevictable=0, Mlocked=0, SwapTotal=16777212, SwapFree=16777212, Dirty=2316, Writeback=0, Mapped=2204188,
             NFS_Unstable=0, Bounce=0, WritebackTmp=0, CommitLimit=(MT-legacy)//2+16777212, Committed_AS=101204412 if kind=='inuse' else 93417828,
             VmallocTotal=34359738367, VmallocUsed=0, VmallocChunk=0, HardwareCorrupted=0,
             AnonHugePages=0, ShmemHugePages=0, ShmemPmdMapped=0,
             HugePages_Total=N, HugePages_Free=free, HugePages_Rsvd=rsvd, HugePages_Surp=0, Hugepagesize=2048,
             DirectMap4k=514880, DirectMap2M=24606720, DirectMap1G=111149056)
    # 4.14 si_mem_available has no KReclaimable: reclaimable = SReclaimable
    v['KReclaimable'] = v['SReclaimable']
    v['MemAvailable'] = memavailable(v, totalreserve=590000, wmark_low=168960)
    del v['KReclaimable']
for k in PARTS: v.setdefault(k, 0) if k in order else None
vv = {k: v[k] for k in order}
g = MT - sum(vv.get(p,0) for p in PARTS) - legacy
print(kind, 'MemFree', v['MemFree'], 'MemAvailable', v['MemAvailable'], round(v['MemAvailable']/MT,3), 'gap', g,
      'pool bytes', N*2048*1024, 'pool share', N*2048/MT, 'recl', (v['Cached']-v['Shmem']+v['SReclaimable'])/MT)
open(OUT+'/proc/meminfo','w').write(meminfo(vv, order))
