package org.mispsentinel.launcher;

import java.io.PrintStream;
import java.util.function.Supplier;
import org.mispsentinel.config.Redaction;
import org.mispsentinel.misp.LogLine;

/**
 * The lines of {@code --check}: one a check, {@code ok}, {@code FAIL} or {@code skip} in a column of
 * their own, then what was checked and what was found, so that {@code grep '^FAIL'} lists what to fix.
 */
final class CheckReport {

    private final PrintStream out;
    private int passed;
    private int failed;
    private int skipped;

    CheckReport(PrintStream out) {
        this.out = out;
    }

    /** Runs one check: its detail on success, its exception's message on failure. @return true when it passed */
    boolean run(String subject, Supplier<String> check) {
        String detail;
        try {
            detail = check.get();
        } catch (RuntimeException e) {
            line("FAIL", subject, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            failed++;
            return false;
        }
        line("ok", subject, detail);
        passed++;
        return true;
    }

    /** A check that cannot be made because one it depends on failed. */
    void skip(String subject, String because) {
        line("skip", subject, because);
        skipped++;
    }

    /** The closing line. @return the exit code: 0 when every check passed */
    int finish() {
        if (failed == 0 && skipped == 0) {
            out.println("check passed: " + passed + " checks");
            return Launcher.OK;
        }
        out.println("check failed: " + failed + " failed, " + skipped + " skipped, " + passed + " passed");
        return Launcher.FAILED;
    }

    private void line(String verdict, String subject, String detail) {
        // secrets are kept out of every message; masking what is known is the safety net
        out.println(Redaction.apply(String.format("%-6s%s: %s", verdict, subject, LogLine.clip(detail, 2000))));
    }
}
