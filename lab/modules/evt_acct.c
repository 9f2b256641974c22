// SPDX-License-Identifier: GPL-2.0
/* percpu leak: __alloc_percpu(objsz) objects until
 * objsz x num_possible_cpus() x nr reaches `bytes`, never freed. They show in meminfo's Percpu. */
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/cpumask.h>
#include "lab_common.h"
static unsigned int objsz = 1024;
module_param(objsz, uint, 0444);
static void __percpu **objs;
static int __init m_init(void)
{
	unsigned long per = (unsigned long)objsz * num_possible_cpus();
	unsigned long want = bytes / per;
	if (!want)
		return 0;
	objs = kvcalloc(want, sizeof(*objs), GFP_KERNEL);
	if (!objs)
		return -ENOMEM;
	while (nr < want) {
		void __percpu *o = __alloc_percpu_gfp(objsz, 8, GFP_KERNEL | __GFP_NOWARN);
		if (!o)
			break;
		objs[nr++] = o;
		held += per;
	}
	a0 = nr ? ~(unsigned long)objs[0] : 0;
	return 0;
}
module_init(m_init);
