package dev.mta.server.pickup;

import java.util.Objects;

/**
 * A message safely in the drop.
 *
 * @param name the file name in {@code new/}; the pickup logs it with the queue id it got
 * @param size the message bytes as stored (CRLF line endings), header not counted
 */
public record DroppedMessage(String name, long size) {
    public DroppedMessage {
        Objects.requireNonNull(name, "name");
    }
}
