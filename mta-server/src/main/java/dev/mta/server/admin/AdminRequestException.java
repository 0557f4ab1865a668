package dev.mta.server.admin;

/**
 * A request a resource refuses, with the status and the message the client is shown: 400 for
 * input it cannot take, 404 for a thing that is not there. The listener answers it as
 * {@code {"error": message}}.
 */
public final class AdminRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public AdminRequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static AdminRequestException badRequest(String message) {
        return new AdminRequestException(400, message);
    }

    public static AdminRequestException notFound(String message) {
        return new AdminRequestException(404, message);
    }

    public int status() {
        return status;
    }
}
