import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import os
OUT = sys.argv[1]
os.makedirs(OUT+'/proc', exist_ok=True)
lab = read_lab_slab()
# the leak: kmalloc-192 objects allocated and never freed (all active)
override = {'kmalloc-192': dict(num=780000*21, active=780000*21-12)}
rows = scale(lab, 10, override)
rec, unr = sums(rows)
KLARGE = 4096   # kmalloc_large pages, counted in SUnreclaim since 5.4, in no slabinfo row
MT = 8128052
v = dict(MemTotal=MT, Buffers=64212, Cached=1351876, SwapCached=0, AnonPages=1418344,
         SReclaimable=rec, SUnreclaim=unr+KLARGE, KernelStack=9824, PageTables=18412, SecPageTables=0, Percpu=7424, Hugetlb=0)
v['KReclaimable'] = v['SReclaimable']; v['Slab'] = v['SReclaimable'] + v['SUnreclaim']
v['Shmem'] = 18236
GAP = 41296
v['MemFree'] = MT - sum(v[p] for p in PARTS if p != 'MemFree') - GAP
assert gap(v) == GAP
# LRU: anon LRU = AnonPages + Shmem (no excess); file LRU = Cached - Shmem + Buffers
anon_lru = v['AnonPages'] + v['Shmem']
file_lru = v['Cached'] - v['Shmem'] + v['Buffers']
v['Active(anon)'] = 1291740; v['Inactive(anon)'] = anon_lru - 1291740
v['Active(file)'] = 822116; v['Inactive(file)'] = file_lru - 822116
v['Unevictable'] = 0; v['Mlocked'] = 0
v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
v.update(SwapTotal=0, SwapFree=0, Zswap=0, Zswapped=0, Dirty=312, Writeback=0, Mapped=412268,
         NFS_Unstable=0, Bounce=0, WritebackTmp=0, CommitLimit=MT//2, Committed_AS=2931540,
         VmallocTotal=34359738367, VmallocUsed=31212, VmallocChunk=0, HardwareCorrupted=0,
         AnonHugePages=329728, ShmemHugePages=0, ShmemPmdMapped=0, FileHugePages=0, FilePmdMapped=0,
         HugePages_Total=0, HugePages_Free=0, HugePages_Rsvd=0, HugePages_Surp=0, Hugepagesize=2048,
         DirectMap4k=270196, DirectMap2M=8118272)
# min_free_kbytes 67584 (THP-recommended, 3 zones), wmark_low ~ 1.25x min; totalreserve ~ high wmarks + lowmem_reserve
v['MemAvailable'] = memavailable(v, totalreserve=152000, wmark_low=84480)
open(OUT+'/proc/meminfo','w').write(meminfo(v))
open(OUT+'/proc/meminfo.before_drop_caches','w').write(meminfo(v))
# echo 3 > drop_caches: page cache (not shmem, not mapped) and reclaimable slab go; SUnreclaim does not
a = dict(v)
a['Cached'] = 431204; a['Buffers'] = 9316
rows_after = scale(lab, 10, dict(override, **{'kmalloc-192': dict(num=780000*21, active=780000*21-3)}))
# reclaimable caches shrink to what is pinned (open files, cwd): a quarter of the slabs
for r in rows_after:
    if is_recl(r['name']) and r['num'] > 0:
        slabs = max(1, (r['num']//r['per'])//4); r['num'] = slabs*r['per']; r['active'] = min(r['active'], r['num'])
rec2, unr2 = sums(rows_after)
a['SReclaimable'] = rec2; a['KReclaimable'] = rec2; a['SUnreclaim'] = unr2 + KLARGE + 640
a['Slab'] = a['SReclaimable'] + a['SUnreclaim']
a['MemFree'] = MT - sum(a[p] for p in PARTS if p != 'MemFree') - GAP
file_lru = a['Cached'] - a['Shmem'] + a['Buffers']
a['Active(file)'] = 210332; a['Inactive(file)'] = file_lru - 210332
a['Active'] = a['Active(anon)'] + a['Active(file)']; a['Inactive'] = a['Inactive(anon)'] + a['Inactive(file)']
a['Mapped'] = 401512; a['Dirty'] = 0
a['MemAvailable'] = memavailable(a, totalreserve=152000, wmark_low=84480)
open(OUT+'/proc/meminfo.after_drop_caches','w').write(meminfo(a))
open(OUT+'/proc/slabinfo','w').write(slabinfo(rows))
k = [r for r in rows if r['name']=='kmalloc-192'][0]
print('SUnreclaim', v['SUnreclaim'], 'kB =', v['SUnreclaim']*1024, 'B; share', v['SUnreclaim']/MT)
print('kmalloc-192', kb(k), 'kB share of SUnreclaim', kb(k)/v['SUnreclaim'])
print('rec',rec,'unr',unr,'MemFree',v['MemFree'],'MemAvail',v['MemAvailable'], 'after: SRecl',a['SReclaimable'],'SUnrecl',a['SUnreclaim'],'Cached',a['Cached'],'MemFree',a['MemFree'])
print('recl cache share', (v['Cached']-v['Shmem']+v['SReclaimable'])/MT)
