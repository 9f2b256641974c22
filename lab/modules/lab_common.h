/* Shared by the lab's scenario modules: module parameters the guest reads back as ground truth.
 * Every module takes `bytes` (how much to hold) and reports `nr` (objects held), `held` (bytes the
 * module believes it holds) and `a0`/`a1` (sample addresses for crash). No printk: the kernel log
 * is part of the capture and must not name the answer. a0/a1 hold the bitwise complement of
 * the address, so a `search` of guest memory for the address does not find the module itself. */
#include <linux/module.h>
#include <linux/moduleparam.h>
static unsigned long bytes;
module_param(bytes, ulong, 0444);
static unsigned long nr, held, a0, a1;
module_param(nr, ulong, 0444);
module_param(held, ulong, 0444);
module_param(a0, ulong, 0444);
module_param(a1, ulong, 0444);
MODULE_LICENSE("GPL");
