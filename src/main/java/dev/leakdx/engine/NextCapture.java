package dev.leakdx.engine;

/**
 * A capture that would confirm or refute a hypothesis, in the words the analyst types
 * ({@code search -k ffff0005ee000000}), and why it decides. {@code hypothesis} "" means it
 * helps the whole diagnosis.
 */
public record NextCapture(String hypothesis, String subject, String command, String why) {
    public static NextCapture forHypothesis(Hypothesis h, String command, String why) {
        return new NextCapture(h.code(), h.subject(), command, why);
    }
}
