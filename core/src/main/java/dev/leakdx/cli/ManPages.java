package dev.leakdx.cli;

import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.File;
import java.io.IOException;

/**
 * The man pages, generated from the picocli model by picocli's own generator (picocli-codegen's
 * {@link ManPageGenerator}): one AsciiDoc file with doctype manpage per command and sub-command
 * (leakdx.adoc, leakdx-diagnose.adoc, leakdx-rules-list.adoc, ...), so the pages always list the
 * options the code has. Run by the build at package time into target/man/ (pom.xml, execution
 * man-pages); the launcher renders them to troff when asciidoctor is installed (no AsciiDoc
 * renderer is served to this build: knowledge-base-docs/man-page.md). Build-time only:
 * picocli-codegen is a provided dependency, not in target/lib.
 */
public final class ManPages {
    private ManPages() {}

    /** The command line whose model the pages describe: the one {@link Main#run} executes. */
    static CommandLine model() {
        return new CommandLine(new Main());
    }

    /** Writes every page into {@code outdir}; returns the generator's exit status (0: written). */
    public static int write(File outdir) throws IOException {
        if (!outdir.isDirectory() && !outdir.mkdirs()) throw new IOException(outdir + ": cannot create the folder");
        return ManPageGenerator.generateManPage(outdir, null, new boolean[0], false, model().getCommandSpec());
    }

    public static void main(String[] args) throws IOException {
        File out = new File(args.length > 0 ? args[0] : "target/man");
        int rc = write(out);
        File[] pages = out.listFiles((d, n) -> n.endsWith(".adoc"));
        System.out.println("leakdx: " + (pages == null ? 0 : pages.length) + " man pages (AsciiDoc) in " + out);
        if (rc != 0) System.exit(rc);
    }
}
