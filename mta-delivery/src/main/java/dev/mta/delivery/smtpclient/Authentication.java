package dev.mta.delivery.smtpclient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * AUTH to a relay host (RFC 4954) with PLAIN (RFC 4616, initial response) or, when the server
 * has only that, LOGIN. Credentials go out only under TLS unless they allow clear text.
 */
final class Authentication {
    private static final int AUTHENTICATED = 235;
    private static final int CONTINUE = 334;

    private final SmtpConnection connection;
    private final Credentials credentials;
    private final Runnable onSuccess;
    private final BiConsumer<Stage, DeliveryError> onFailure;

    private Authentication(SmtpConnection connection, Credentials credentials, Runnable onSuccess,
                           BiConsumer<Stage, DeliveryError> onFailure) {
        this.connection = connection;
        this.credentials = credentials;
        this.onSuccess = onSuccess;
        this.onFailure = onFailure;
    }

    static void run(SmtpConnection connection, Credentials credentials, Runnable onSuccess,
                    BiConsumer<Stage, DeliveryError> onFailure) {
        new Authentication(connection, credentials, onSuccess, onFailure).start();
    }

    private void start() {
        if (!connection.encrypted() && !credentials.allowCleartext()) {
            // RFC 4954 4 and RFC 4616 4: PLAIN and LOGIN reveal the password to anyone listening.
            unavailable("the connection is not encrypted and the credentials are for TLS only");
            return;
        }
        Set<String> mechanisms = connection.extensions().authMechanisms();
        if (mechanisms.contains("PLAIN")) {
            String response = "\0" + credentials.user() + "\0" + credentials.password();
            connection.send(SmtpCommand.secret("AUTH PLAIN " + base64(response)), Stage.AUTH, this::onFinalReply);
        } else if (mechanisms.contains("LOGIN")) {
            connection.send(SmtpCommand.of("AUTH LOGIN"), Stage.AUTH, this::onUserChallenge);
        } else {
            unavailable(mechanisms.isEmpty() ? "the server does not offer AUTH"
                    : "the server offers AUTH " + String.join(" ", mechanisms) + " but neither PLAIN nor LOGIN");
        }
    }

    private void onUserChallenge(SmtpReply reply) {
        if (reply.code() != CONTINUE) {
            refused(reply);
            return;
        }
        connection.send(SmtpCommand.secret(base64(credentials.user())), Stage.AUTH, this::onPasswordChallenge);
    }

    private void onPasswordChallenge(SmtpReply reply) {
        if (reply.code() != CONTINUE) {
            refused(reply);
            return;
        }
        connection.send(SmtpCommand.secret(base64(credentials.password())), Stage.AUTH, this::onFinalReply);
    }

    private void onFinalReply(SmtpReply reply) {
        if (reply.code() == AUTHENTICATED) {
            onSuccess.run();
        } else {
            refused(reply);
        }
    }

    private void refused(SmtpReply reply) {
        onFailure.accept(Stage.AUTH, new DeliveryError.Reply(reply));
    }

    private void unavailable(String reason) {
        onFailure.accept(Stage.AUTH, new DeliveryError.AuthUnavailable(reason));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
