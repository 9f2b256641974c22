package dev.leakdx.extract;

import dev.leakdx.facts.Provenance;

import java.util.ArrayList;
import java.util.List;

/**
 * The context of one section: which spec reads it, from which file, for which host and
 * snapshot, after which crash command (full text, pipes included) and from which line.
 */
public record Section(ExtractorSpec spec, String file, String host, String snapshot, String command, long firstLine) {

    public Provenance at(long line) { return new Provenance(file, line, line, host, snapshot, command); }

    public Provenance span(long first, long last) { return new Provenance(file, first, last, host, snapshot, command); }

    /** The command without pipes or redirection: {@code kmem -m a,b | grep x} gives {@code kmem -m a,b}. */
    public String baseCommand() { return baseOf(command); }

    public static String baseOf(String command) {
        int bar = command.indexOf('|');
        String base = bar >= 0 ? command.substring(0, bar) : command;
        int redir = base.indexOf('>');
        if (redir >= 0) base = base.substring(0, redir);
        return base.strip();
    }

    /** Arguments of the base command that are not options: for {@code search -k ffff88...} that is [ffff88...]. */
    public List<String> arguments() {
        String[] t = baseCommand().split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 1; i < t.length; i++) if (!t[i].startsWith("-")) out.add(t[i]);
        return out;
    }

    public String options() {
        String[] t = baseCommand().split("\\s+");
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < t.length; i++) if (t[i].startsWith("-")) b.append(b.length() > 0 ? " " : "").append(t[i]);
        return b.toString();
    }

    /** True when the output went through grep/head/tail etc., so it may be a subset of the rows. */
    public boolean filtered() { return command.contains("|"); }

    /**
     * True when a pipe may have dropped or reordered rows in the middle (grep, sort, awk, uniq);
     * head/tail/more/less keep consecutive rows consecutive, so strides are still readable.
     */
    public boolean rowsReordered() {
        if (!filtered()) return false;
        for (String stage : command.substring(command.indexOf('|') + 1).split("\\|")) {
            String tool = stage.strip().split("\\s+")[0];
            if (!tool.equals("head") && !tool.equals("tail") && !tool.equals("more") && !tool.equals("less") && !tool.equals("cat")) return true;
        }
        return false;
    }
}
