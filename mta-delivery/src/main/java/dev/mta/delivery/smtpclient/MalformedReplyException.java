package dev.mta.delivery.smtpclient;

import io.netty.handler.codec.DecoderException;

/** The server sent something that is not an SMTP reply; the session cannot go on. */
final class MalformedReplyException extends DecoderException {
    private static final long serialVersionUID = 1L;

    MalformedReplyException(String message) {
        super(message);
    }
}
