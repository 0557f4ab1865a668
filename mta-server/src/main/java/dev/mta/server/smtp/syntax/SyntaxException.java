package dev.mta.server.smtp.syntax;

/** A command argument that does not follow the grammar; the message says what is wrong. */
public class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    public SyntaxException(String message) {
        super(message);
    }
}
