package dev.leakdx.engine;

/**
 * One line of the memory budget: where MemTotal went. {@code basis} is the capture the budget
 * was read from ("kmem -i", "meminfo"); {@code kind} is {@code total}, {@code part} (the parts
 * add up to the total), {@code overlap} (already inside a part, shown for reading), or
 * {@code gap} (what no counter explains). {@code order} sorts the lines.
 */
public record BudgetEntry(String basis, String key, String label, long bytes, String kind, int order) {}
