package dev.leakdx.facts;

/** Anything read from a capture. Rules match on the concrete record types; reports use this view. */
public interface Fact {
    Provenance provenance();

    /** One line a human can read in an explanation tree, with the figures in it. */
    String describe();
}
