package dev.mta.server.load;

import dev.mta.testsupport.smtp.SmtpReply;
import dev.mta.testsupport.smtp.SmtpTestClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;

/**
 * One client of the sustained load: a session kept open for the whole run that sends a message
 * (RSET, MAIL, RCPT, DATA), pauses, and sends the next, until told to stop, then says QUIT.
 * Every reply that is not the one a healthy relay gives is recorded as an error and ends the
 * session; every message answered 250 is recorded by its load id.
 */
final class SubmittingSession implements Runnable {
    private final int number;
    private final int port;
    private final Duration meanPause;
    private final IntFunction<String> recipientOfMessage;
    private final Set<String> accepted;
    private final Queue<String> errors;
    private final Runnable opened;
    private volatile boolean stopping;

    /**
     * @param recipientOfMessage the recipient of this session's n-th message
     * @param opened             called once the session has been greeted and said EHLO
     */
    SubmittingSession(int number, int port, Duration meanPause, IntFunction<String> recipientOfMessage,
            Set<String> accepted, Queue<String> errors, Runnable opened) {
        this.number = number;
        this.port = port;
        this.meanPause = meanPause;
        this.recipientOfMessage = recipientOfMessage;
        this.accepted = accepted;
        this.errors = errors;
        this.opened = opened;
    }

    void stop() {
        stopping = true;
    }

    @Override
    public void run() {
        // A read timeout well above the slowest commit a loaded two-core machine makes.
        try (SmtpTestClient client = SmtpTestClient.connect("127.0.0.1", port, Duration.ofSeconds(60))) {
            expect(client.readReply(), 220, "greeting");
            expect(client.ehlo("load" + number + ".client.test"), 250, "EHLO");
            opened.run();
            // Spread the first messages over one pause, so 500 sessions do not send in lockstep.
            pause(ThreadLocalRandom.current().nextLong(meanPause.toMillis() + 1));
            for (int n = 0; !stopping; n++) {
                String loadId = "s" + number + "-" + n;
                expect(client.command("RSET"), 250, "RSET");
                expect(client.command("MAIL FROM:<load" + number + "@sender.test>"), 250, "MAIL");
                expect(client.command("RCPT TO:<" + recipientOfMessage.apply(n) + ">"), 250, "RCPT");
                expect(client.command("DATA"), 354, "DATA");
                SmtpReply end = client.sendData("X-Load-Id: " + loadId + "\r\nSubject: load " + loadId
                        + "\r\n\r\nA message of the sustained load test, kept short.\r\n");
                expect(end, 250, "end of data");
                accepted.add(loadId);
                // Pauses between half and one and a half times the mean: a steady, unsynchronised stream.
                pause(meanPause.toMillis() / 2 + ThreadLocalRandom.current().nextLong(meanPause.toMillis() + 1));
            }
            expect(client.command("QUIT"), 221, "QUIT");
        } catch (UnexpectedReply e) {
            errors.add("session " + number + ": " + e.getMessage());
        } catch (IOException e) {
            errors.add("session " + number + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause(long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        // Wakes now and then to notice stop() without a lock.
        while (!stopping && System.nanoTime() < end) {
            Thread.sleep(Math.min(200, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        }
    }

    private static void expect(SmtpReply reply, int code, String what) throws UnexpectedReply {
        if (reply.code() != code) {
            throw new UnexpectedReply(what + " answered " + reply.raw().strip());
        }
    }

    private static final class UnexpectedReply extends Exception {
        UnexpectedReply(String message) {
            super(message);
        }
    }
}
