# memcg limit OOM: a program in a cgroup with memory.max = target bytes allocates past it
prepare() { mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup; echo +memory > /sys/fs/cgroup/cgroup.subtree_control
	mkdir /sys/fs/cgroup/job; }
inject() { echo $BYTES > /sys/fs/cgroup/job/memory.max
	sh -c 'echo $$ > /sys/fs/cgroup/job/cgroup.procs; exec datasvc 4 0' > /tmp/h.txt 2>&1; 
	truth family MEMCG_LIMIT_OOM; truth memcg_limit_bytes "$BYTES"; truth injected_bytes 0; }
