package dev.leakdx.engine;

/**
 * A capture that would confirm or refute a hypothesis, in the words the analyst types, and why
 * it decides. {@code hypothesis} "" means it helps the whole diagnosis.
 *
 * <p>{@code command} is pasted as is: nothing but the command (explanations go in {@code why}),
 * several lines for several commands run in turn, and a value the reader must fill in written as
 * an upper-case {@code <PLACEHOLDER>}. {@code where} says where it is typed: {@link #SHELL} (a
 * shell on the host, bash syntax) or {@link #CRASH} (the crash utility's prompt, on the vmcore or
 * the live kernel: not a shell, although crash passes {@code | cmd} and {@code > file} to one).
 */
public record NextCapture(String hypothesis, String subject, String command, String why, String where) {
    public static final String SHELL = "shell";
    public static final String CRASH = "crash";

    public NextCapture {
        if (!where.equals(SHELL) && !where.equals(CRASH)) throw new IllegalArgumentException("where must be shell or crash: " + where);
    }

    /** A shell command on the host. */
    public static NextCapture forHypothesis(Hypothesis h, String command, String why) {
        return new NextCapture(h.code(), h.subject(), command, why, SHELL);
    }

    /** A command typed where {@code where} says: {@link #SHELL} or {@link #CRASH}. */
    public static NextCapture forHypothesis(Hypothesis h, String where, String command, String why) {
        return new NextCapture(h.code(), h.subject(), command, why, where);
    }

    /** The placeholders the reader fills in, in order of appearance, each once. */
    public static java.util.List<String> placeholders(String command) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<[A-Z][A-Z0-9_]*>").matcher(command);
        while (m.find()) out.add(m.group());
        return java.util.List.copyOf(out);
    }
}
