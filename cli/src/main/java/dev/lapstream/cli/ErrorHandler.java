package dev.lapstream.cli;

import picocli.CommandLine;

/**
 * Turns an exception into one line on stderr and a non-zero exit: 2 for bad input or arguments, 1 for
 * anything else. Stack traces only with {@code --verbose}.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int BAD_INPUT = 2;
    static final int FAILED = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose");
        if (verbose) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().println("lapstream: error: " + oneLine(e));
        return e instanceof UserError || e instanceof IllegalArgumentException ? BAD_INPUT : FAILED;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** A problem with what the user gave us (a file, a scale), not with lapstream. */
    static final class UserError extends RuntimeException {
        UserError(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
