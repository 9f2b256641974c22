package dev.leakdx.cli;

/** The CLI's exit code for tests outside this package. */
public final class CliRunAccess {
    private CliRunAccess() {}

    public static int exit(String... args) { return CliRun.of(args).exit(); }
}
