// SPDX-License-Identifier: GPL-2.0
/* THP refcount leak: a "device" that takes a reference on user memory and never drops it.
 * A process writes "ADDR LEN" (hex) to /proc/kvmx; for every 2 MiB step the module takes one
 * get_user_pages_fast() reference (on the THP head when ADDR is aligned) and keeps it. When the
 * process exits, the THPs are unmapped but stay allocated on the anon LRU. */
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>
#include <linux/slab.h>
#include "lab_common.h"
static struct page **refs;
static unsigned long max_refs = 65536;
static DEFINE_MUTEX(lock);
static ssize_t w(struct file *f, const char __user *ubuf, size_t len, loff_t *off)
{
	char buf[64];
	unsigned long addr, size, a;
	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = 0;
	if (sscanf(buf, "%lx %lx", &addr, &size) != 2)
		return -EINVAL;
	mutex_lock(&lock);
	for (a = addr; a < addr + size && nr < max_refs; a += HPAGE_PMD_SIZE) {
		struct page *p;
		if (get_user_pages_fast(a, 1, FOLL_WRITE, &p) != 1)
			continue;
		refs[nr++] = p;
		held += PageTransHuge(p) ? HPAGE_PMD_SIZE : PAGE_SIZE;
		a0 = ~(unsigned long)p;
	}
	mutex_unlock(&lock);
	return len;
}
static const struct proc_ops ops = { .proc_write = w };
static int __init m_init(void)
{
	refs = kvcalloc(max_refs, sizeof(*refs), GFP_KERNEL);
	if (!refs)
		return -ENOMEM;
	proc_create("kvmx", 0200, NULL, &ops);
	return 0;
}
module_init(m_init);
