package dev.mta.testsupport.smtp;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replies, delays and misbehaviour a test has asked the sink for, changeable while sessions
 * run. Every reply is kept as the exact text to send, CRLFs included.
 */
final class SinkScript {
    private final Map<ReplyPoint, String> replies = new ConcurrentHashMap<>();
    private final Map<ConnectionPoint, String> connectionReplies = new ConcurrentHashMap<>();
    private final Map<String, String> recipientReplies = new ConcurrentHashMap<>();
    private final Map<ReplyPoint, Duration> delays = new ConcurrentHashMap<>();
    private final Map<ReplyPoint, Duration> trickles = new ConcurrentHashMap<>();
    private final Set<ReplyPoint> dropsInstead = ConcurrentHashMap.newKeySet();
    private final Set<ReplyPoint> dropsAfter = ConcurrentHashMap.newKeySet();
    private volatile long dropDuringDataAfter = -1;
    private volatile long stallDuringDataAfter = -1;
    private volatile long replyDuringDataAfter = -1;
    private volatile String replyDuringData;

    private record ConnectionPoint(int connection, ReplyPoint point) {
    }

    static String line(int code, String text) {
        return code + " " + text + "\r\n";
    }

    void reply(ReplyPoint point, String raw) {
        replies.put(point, raw);
    }

    void replyOnConnection(int connection, ReplyPoint point, String raw) {
        connectionReplies.put(new ConnectionPoint(connection, point), raw);
    }

    void replyToRecipient(String address, String raw) {
        recipientReplies.put(address.toLowerCase(Locale.ROOT), raw);
    }

    void delay(ReplyPoint point, Duration delay) {
        delays.put(point, delay);
    }

    void trickle(ReplyPoint point, Duration perOctet) {
        if (perOctet.isNegative()) {
            throw new IllegalArgumentException("negative pause: " + perOctet);
        }
        trickles.put(point, perOctet);
    }

    void dropInsteadOfReplying(ReplyPoint point) {
        dropsInstead.add(point);
    }

    void dropAfterReplying(ReplyPoint point) {
        dropsAfter.add(point);
    }

    void dropDuringData(long afterBytes) {
        dropDuringDataAfter = afterBytes;
    }

    void stallDuringData(long afterBytes) {
        stallDuringDataAfter = afterBytes;
    }

    void replyDuringData(long afterBytes, String raw) {
        replyDuringData = raw;
        replyDuringDataAfter = afterBytes;
    }

    void reset() {
        replies.clear();
        connectionReplies.clear();
        recipientReplies.clear();
        delays.clear();
        trickles.clear();
        dropsInstead.clear();
        dropsAfter.clear();
        dropDuringDataAfter = -1;
        stallDuringDataAfter = -1;
        replyDuringDataAfter = -1;
        replyDuringData = null;
    }

    /** The scripted reply at this point of this connection: per connection first, then for all. */
    Optional<String> replyAt(ReplyPoint point, int connection) {
        String specific = connectionReplies.get(new ConnectionPoint(connection, point));
        return Optional.ofNullable(specific != null ? specific : replies.get(point));
    }

    Optional<String> replyToRecipient(String address, int connection) {
        String forAddress = recipientReplies.get(address.toLowerCase(Locale.ROOT));
        return forAddress != null ? Optional.of(forAddress) : replyAt(ReplyPoint.RCPT, connection);
    }

    Optional<Duration> delayAt(ReplyPoint point) {
        return Optional.ofNullable(delays.get(point));
    }

    Optional<Duration> trickleAt(ReplyPoint point) {
        return Optional.ofNullable(trickles.get(point));
    }

    boolean dropsInsteadOfReplying(ReplyPoint point) {
        return dropsInstead.contains(point);
    }

    boolean dropsAfterReplying(ReplyPoint point) {
        return dropsAfter.contains(point);
    }

    long dropDuringDataAfter() {
        return dropDuringDataAfter;
    }

    long replyDuringDataAfter() {
        return replyDuringDataAfter;
    }

    String replyDuringData() {
        return replyDuringData;
    }

    long stallDuringDataAfter() {
        return stallDuringDataAfter;
    }
}
