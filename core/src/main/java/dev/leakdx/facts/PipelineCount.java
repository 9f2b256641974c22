package dev.leakdx.facts;

/**
 * The number a shell pipeline in a crash transcript printed, e.g.
 * {@code kmem -m lru.next | grep dead000 | wc -l} gives 696512: a count of rows of
 * {@code baseCommand} that passed {@code filters}. Analysts do this all the time; the count
 * is evidence even without the rows.
 */
public record PipelineCount(String baseCommand, String filters, long count, Provenance provenance) implements Fact {
    @Override public String describe() {
        return Units.count(count) + " rows of '" + baseCommand + "' pass '" + filters + "'";
    }
}
