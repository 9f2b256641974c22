package dev.leakdx.facts;

import java.util.List;

/**
 * A fact the engine summed up from other facts before the rules ran (a trend over several
 * snapshots). Its parts are the facts read from the capture; a report cites every one of them,
 * so a conclusion drawn from the aggregate still points at the input lines.
 */
public interface Aggregate extends Fact {
    List<? extends Fact> parts();
}
