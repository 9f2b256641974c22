package dev.leakdx.facts;

/**
 * Where a fact came from: the capture file (as the user named it; archive members as
 * {@code archive!member}), the inclusive 1-based line range, the host it describes
 * ("" is the host under diagnosis; a healthy twin gets its own name from the manifest),
 * the snapshot label (e.g. {@code before_drop_caches}) and, for crash transcripts, the
 * command whose output the lines are. Every fact carries one; a fact without it is a bug.
 */
public record Provenance(String file, long firstLine, long lastLine, String host, String snapshot, String command) {

    public Provenance {
        if (file == null || file.isEmpty()) throw new IllegalArgumentException("provenance needs a file");
        if (lastLine < firstLine) lastLine = firstLine;
        host = host == null ? "" : host;
        snapshot = snapshot == null ? "" : snapshot;
        command = command == null ? "" : command;
    }

    /** A value the tool derived itself (an inference), not read from one line. */
    public static Provenance derived(String how) {
        return new Provenance("(derived)", 0, 0, "", "", how);
    }

    public boolean isDerived() { return "(derived)".equals(file); }

    public Provenance lines(long first, long last) {
        return new Provenance(file, first, last, host, snapshot, command);
    }

    /** {@code file:line} or {@code file:first-last}, the form editors and terminals jump to. */
    public String cite() {
        if (isDerived()) return "derived (" + command + ")";
        return firstLine == lastLine ? file + ":" + firstLine : file + ":" + firstLine + "-" + lastLine;
    }

    /** The host and snapshot, for telling twins and before/after captures apart in a report. */
    public String context() {
        StringBuilder b = new StringBuilder();
        if (!host.isEmpty()) b.append("host ").append(host);
        if (!snapshot.isEmpty()) b.append(b.length() > 0 ? ", " : "").append(snapshot);
        return b.toString();
    }

    @Override public String toString() { return cite(); }
}
