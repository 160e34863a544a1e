package org.mispsentinel.launcher;

import java.nio.file.Path;
import java.util.Properties;

/**
 * What the command line asked for, and the settings that mode implies.
 *
 * @param routesDir for {@code --validate-routes}: the directory to check; null for the one a run uses
 * @param json      for {@code --report}: one JSON document instead of text
 */
record Mode(Kind kind, Properties overrides, Path routesDir, boolean json) {

    enum Kind { SCHEDULED, ONCE, DRY_RUN, DEMO, REPLAY, VALIDATE_ROUTES, CHECK, REPORT, HELP, VERSION }

    Mode(Kind kind, Properties overrides) {
        this(kind, overrides, null, false);
    }

    Mode(Kind kind, Properties overrides, Path routesDir) {
        this(kind, overrides, routesDir, false);
    }

    static Mode parse(String[] args) {
        Properties p = new Properties();
        if (args.length == 0) {
            return new Mode(Kind.SCHEDULED, p);
        }
        p.setProperty("schedule.enabled", "false");
        switch (args[0]) {
            case "--help", "-h" -> {
                return only(args, 1, new Mode(Kind.HELP, p));
            }
            case "--version" -> {
                return only(args, 1, new Mode(Kind.VERSION, p));
            }
            case "--once" -> {
                return only(args, 1, new Mode(Kind.ONCE, p));
            }
            case "--demo" -> {
                return only(args, 1, new Mode(Kind.DEMO, p));
            }
            case "--replay-dead-letters" -> {
                return only(args, 1, new Mode(Kind.REPLAY, p));
            }
            case "--check" -> {
                // what a real run needs, Azure included, whatever the environment says of dry runs
                p.setProperty("dry-run.enabled", "false");
                return only(args, 1, new Mode(Kind.CHECK, p));
            }
            case "--report" -> {
                if (args.length > 1 && !args[1].equals("--json")) {
                    throw new IllegalArgumentException("--report takes --json or nothing, not " + args[1]);
                }
                return only(args, 2, new Mode(Kind.REPORT, p, null, args.length > 1));
            }
            case "--validate-routes" -> {
                return only(args, 2, new Mode(Kind.VALIDATE_ROUTES, p, args.length > 1 ? Path.of(args[1]) : null));
            }
            case "--dry-run" -> {
                if (args.length > 1 && args[1].startsWith("--")) {
                    throw new IllegalArgumentException("--dry-run takes a file name or nothing, not " + args[1]);
                }
                p.setProperty("dry-run.enabled", "true");
                p.setProperty("dry-run.output", args.length > 1 ? args[1] : "-");
                return only(args, 2, new Mode(Kind.DRY_RUN, p));
            }
            default -> throw new IllegalArgumentException("unknown option " + args[0]);
        }
    }

    private static Mode only(String[] args, int max, Mode mode) {
        if (args.length > max) {
            throw new IllegalArgumentException("unexpected argument " + args[max]);
        }
        return mode;
    }
}
