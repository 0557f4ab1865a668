package dev.mta.server.cli;

/** sysexits.h codes, so scripts and service managers can tell failures apart. */
final class ExitCodes {
    static final int OK = 0;
    static final int USAGE = 64;
    static final int DATA_ERROR = 65;
    static final int NO_INPUT = 66;
    static final int UNAVAILABLE = 69;
    static final int SOFTWARE = 70;
    static final int CANNOT_CREATE = 73;
    static final int IO_ERROR = 74;
    static final int TEMPORARY_FAILURE = 75;
    static final int CONFIG = 78;

    private ExitCodes() {
    }
}
