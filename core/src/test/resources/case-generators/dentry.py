import os, sys; sys.path.insert(0, os.path.dirname(os.path.abspath(__file__))); from common import *
import os
OUT = sys.argv[1]
os.makedirs(OUT+'/proc', exist_ok=True)
lab = read_lab_slab()
# a negative-dentry flood: 71.4 M dentries, 99.6% of them negative (dentry-state nr_negative)
D_SLABS = 3400000
override = {'dentry': dict(num=D_SLABS*21, active=D_SLABS*21-3170),
            'inode_cache': dict(num=41000*12, active=41000*12-211),      # 41000 slabs x 2 pages
            'radix_tree_node': dict(num=52000*14, active=52000*14-3390),  # page cache xarray nodes, 2 pages
            'proc_inode_cache': dict(num=300*23, active=300*23-14),
            'sock_inode_cache': dict(num=120*19, active=120*19-7),
            'shmem_inode_cache': dict(num=90*20, active=90*20-5)}
rows = scale(lab, 40, override)
rec, unr = sums(rows)
KLARGE = 6144
MT = 32863076
v = dict(MemTotal=MT, Buffers=310412, Cached=6120388, SwapCached=0, AnonPages=3201776,
         SReclaimable=rec, SUnreclaim=unr+KLARGE, KernelStack=18016, PageTables=41232, SecPageTables=0, Percpu=21120, Hugetlb=0)
v['KReclaimable'] = v['SReclaimable']; v['Slab'] = v['SReclaimable'] + v['SUnreclaim']
v['Shmem'] = 24112
GAP = 52204
v['MemFree'] = MT - sum(v[p] for p in PARTS if p != 'MemFree') - GAP
assert gap(v) == GAP
anon_lru = v['AnonPages'] + v['Shmem']; file_lru = v['Cached'] - v['Shmem'] + v['Buffers']
v['Active(anon)'] = 2941336; v['Inactive(anon)'] = anon_lru - 2941336
v['Active(file)'] = 1804220; v['Inactive(file)'] = file_lru - 1804220
v['Unevictable'] = 0; v['Mlocked'] = 0
v['Active'] = v['Active(anon)'] + v['Active(file)']; v['Inactive'] = v['Inactive(anon)'] + v['Inactive(file)']
v.update(SwapTotal=0, SwapFree=0, Zswap=0, Zswapped=0, Dirty=1208, Writeback=0, Mapped=611904,
         NFS_Unstable=0, Bounce=0, WritebackTmp=0, CommitLimit=MT//2, Committed_AS=5820436,
         VmallocTotal=34359738367, VmallocUsed=63420, VmallocChunk=0, HardwareCorrupted=0,
         AnonHugePages=1159168, ShmemHugePages=0, ShmemPmdMapped=0, FileHugePages=0, FilePmdMapped=0,
         HugePages_Total=0, HugePages_Free=0, HugePages_Rsvd=0, HugePages_Surp=0, Hugepagesize=2048,
         DirectMap4k=376612, DirectMap2M=12206080)
v['DirectMap1G'] = 21495808
order = ORDER_61 + ['DirectMap1G']
# min_free_kbytes 67584 over 32 GiB: wmark_low sum ~ 84480 kB; totalreserve ~ 251000 kB
v['MemAvailable'] = memavailable(v, totalreserve=251000, wmark_low=84480)
open(OUT+'/proc/meminfo','w').write(meminfo(v, order))
open(OUT+'/proc/meminfo.before_drop_caches','w').write(meminfo(v, order))
# sync; echo 3 > /proc/sys/vm/drop_caches
a = dict(v)
ov2 = {'dentry': dict(num=5210*21, active=5210*21-840), 'inode_cache': dict(num=2630*12, active=2630*12-57),
       'radix_tree_node': dict(num=1980*14, active=1980*14-112), 'proc_inode_cache': dict(num=60*23, active=60*23-9),
       'sock_inode_cache': dict(num=120*19, active=120*19-7), 'shmem_inode_cache': dict(num=90*20, active=90*20-5)}
rows2 = scale(lab, 40, ov2)
for r in rows2:
    if is_recl(r['name']) and r['name'] not in ov2 and r['num'] > 0:
        slabs = max(1, (r['num']//r['per'])//4); r['num'] = slabs*r['per']; r['active'] = min(r['active'], r['num'])
rec2, unr2 = sums(rows2)
a['SReclaimable'] = rec2; a['KReclaimable'] = rec2; a['SUnreclaim'] = unr2 + KLARGE - 1284
a['Slab'] = a['SReclaimable'] + a['SUnreclaim']
a['Cached'] = 642156; a['Buffers'] = 20944; a['Mapped'] = 598220; a['Dirty'] = 0
a['MemFree'] = MT - sum(a[p] for p in PARTS if p != 'MemFree') - GAP
file_lru = a['Cached'] - a['Shmem'] + a['Buffers']
a['Active(file)'] = 401118; a['Inactive(file)'] = file_lru - 401118
a['Active'] = a['Active(anon)'] + a['Active(file)']; a['Inactive'] = a['Inactive(anon)'] + a['Inactive(file)']
a['MemAvailable'] = memavailable(a, totalreserve=251000, wmark_low=84480)
open(OUT+'/proc/meminfo.after_drop_caches','w').write(meminfo(a, order))
open(OUT+'/proc/slabinfo','w').write(slabinfo(rows))
d = [r for r in rows if r['name']=='dentry'][0]
# fs/dcache.c proc_nr_dentry: nr_dentry nr_unused age_limit want_pages nr_negative dummy
nr_dentry = d['active']; nr_unused = nr_dentry - 294375; nr_negative = 71108012
open(OUT+'/proc/dentry-state','w').write(f"{nr_dentry}\t{nr_unused}\t45\t0\t{nr_negative}\t0\n")
print('rec',rec,'unr',v['SUnreclaim'],'dentry kB',kb(d),'MemFree',v['MemFree'],'MemAvail',v['MemAvailable'],v['MemAvailable']/MT)
print('recl cache bytes', (v['Cached']-v['Shmem']+v['SReclaimable'])*1024, 'share', (v['Cached']-v['Shmem']+v['SReclaimable'])/MT)
print('after', a['SReclaimable'], a['Cached'], a['MemFree'], a['MemAvailable'])
