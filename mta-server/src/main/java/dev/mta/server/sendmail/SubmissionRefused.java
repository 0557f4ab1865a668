package dev.mta.server.sendmail;

/**
 * A submission that cannot be made, with the sysexits code sendmail exits with: 64 usage (no
 * recipients), 65 data (the message), 67 no user (an address that is not one).
 */
public final class SubmissionRefused extends Exception {
    public static final int USAGE = 64;
    public static final int DATA_ERROR = 65;
    public static final int NO_USER = 67;

    private final int exitCode;

    public SubmissionRefused(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
