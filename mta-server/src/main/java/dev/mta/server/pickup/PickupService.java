package dev.mta.server.pickup;

import dev.mta.queue.Envelope;
import dev.mta.queue.IncomingMessage;
import dev.mta.queue.MessageStore;
import dev.mta.queue.StoreException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the mail drop: moves finished files from {@code new/} into the durable
 * queue, like Postfix's pickup daemon.
 *
 * <p>Delivery into the queue is at-least-once: a file is deleted only after
 * {@link IncomingMessage#commit} returned, so a crash between the two queues the message again
 * on the next run, never zero times. A file that cannot be parsed goes to {@code corrupt/} with a
 * warning; it is never deleted and never stops the others. When the queue refuses (a resource
 * shortage, a database failure) the file stays and the run ends, to be tried on the next poll.
 */
public final class PickupService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PickupService.class);
    // RFC 5322 3.3 date-time with a numeric zone.
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);
    /** The files of one run; the rest wait for the next poll, which comes at once after a full batch. */
    public static final int DEFAULT_BATCH = 100;

    private final DropDirectory drop;
    private final MessageStore store;
    private final String hostname;
    private final Clock clock;
    private final Duration pollInterval;
    private final int batch;
    private ScheduledExecutorService poller;

    /**
     * @param hostname     the relay's name, for the Received header
     * @param pollInterval how often {@link #start} looks into {@code new/}
     * @param batch        at most this many files per run, oldest first
     */
    public PickupService(DropDirectory drop, MessageStore store, String hostname, Clock clock, Duration pollInterval, int batch) {
        this.drop = Objects.requireNonNull(drop, "drop");
        this.store = Objects.requireNonNull(store, "store");
        this.hostname = Objects.requireNonNull(hostname, "hostname");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1: " + batch);
        }
        this.batch = batch;
    }

    public PickupService(DropDirectory drop, MessageStore store, String hostname, Clock clock, Duration pollInterval) {
        this(drop, store, hostname, clock, pollInterval, DEFAULT_BATCH);
    }

    /**
     * Queues up to one batch of dropped files, oldest first, and returns how many were queued.
     * Stops early, leaving the files, when the queue refuses.
     */
    public int runOnce() throws IOException {
        int queued = 0;
        for (Path file : oldestReady()) {
            try {
                if (pickUp(file)) {
                    queued++;
                }
            } catch (StoreException e) {
                LOG.warn("pickup paused, the queue refused {}: {}{}", file.getFileName(), e.getMessage(),
                        e.isResourceShortage() ? " (resource shortage)" : "");
                break;
            }
        }
        return queued;
    }

    /**
     * Removes files left in {@code tmp/} by a sendmail that died while writing, once they are
     * older than {@code age} by their modification time (the maildir convention is 36 hours).
     * They were never handed over: their senders got a failure exit and still have the mail.
     * Returns how many were removed.
     */
    public int removeAbandonedTemporaryFiles(Duration age) throws IOException {
        Instant cutoff = clock.instant().minus(age);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(drop.tmp())) {
            for (Path entry : entries) {
                try {
                    if (Files.isRegularFile(entry) && Files.getLastModifiedTime(entry).toInstant().isBefore(cutoff)) {
                        Files.deleteIfExists(entry);
                        removed++;
                        LOG.info("removed abandoned drop file tmp/{}", entry.getFileName());
                    }
                } catch (IOException e) {
                    LOG.warn("could not remove abandoned drop file {}: {}", entry, e.toString());
                }
            }
        }
        return removed;
    }

    /** Polls {@code new/} every interval on a virtual thread until {@link #close}. */
    public synchronized void start() {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        poller = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("mail-pickup").factory());
        poller.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (poller == null) {
            return;
        }
        poller.shutdown();
        try {
            if (!poller.awaitTermination(10, TimeUnit.SECONDS)) {
                poller.shutdownNow();
            }
        } catch (InterruptedException e) {
            poller.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void poll() {
        try {
            // a full batch means more may be waiting: go on without waiting a whole interval
            while (runOnce() == batch && !Thread.currentThread().isInterrupted()) {
                LOG.debug("pickup batch full, continuing");
            }
        } catch (IOException | RuntimeException e) {
            // the schedule must survive: a failed poll is retried at the next interval
            LOG.warn("pickup run failed: {}", e.toString());
        }
    }

    private List<Path> oldestReady() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(drop.ready())) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry)) {
                    files.add(entry);
                }
            }
        }
        // names start with the drop time in fixed-width milliseconds: name order is age order
        files.sort(null);
        return files.subList(0, Math.min(batch, files.size()));
    }

    /** True when the file was queued and removed. */
    private boolean pickUp(Path file) throws StoreException {
        String name = file.getFileName().toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
            DropEnvelope dropped;
            try {
                dropped = withOwner(DropFileFormat.readHeader(in), file);
            } catch (MalformedDropException e) {
                setAside(file, e.getMessage());
                return false;
            }
            Instant now = clock.instant();
            try (IncomingMessage incoming = store.receive()) {
                try (OutputStream body = incoming.body()) {
                    body.write(received(dropped, incoming, now).getBytes(StandardCharsets.UTF_8));
                    in.transferTo(body);
                }
                incoming.commit(envelope(dropped, now));
                LOG.info("picked up id={} file={} from=<{}> nrcpt={} size={} user={} uid={}", incoming.id(), name,
                        dropped.sender(), dropped.recipients().size(), incoming.size(), dropped.submitter().name(),
                        dropped.submitter().uid());
            }
        } catch (NoSuchFileException e) {
            return false; // taken by another pickup, or removed by the operator
        } catch (IOException e) {
            // the file could not be read or the spool not written (permissions, an I/O error):
            // nothing was queued, the file stays for the next run
            LOG.warn("pickup of {} failed, left for the next run: {}", name, e.toString());
            return false;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // it is queued; left in place it would be queued again, so say so loudly
            LOG.error("queued {} but could not remove it, it will be queued again: {}", name, e.toString());
        }
        return true;
    }

    /**
     * The user a drop file names is what the command said; the file's owner is what the system
     * vouches for, since nobody can create a file owned by someone else. The owner wins.
     */
    private static DropEnvelope withOwner(DropEnvelope dropped, Path file) throws IOException {
        DropEnvelope.Submitter owner;
        try {
            owner = new DropEnvelope.Submitter(Files.getOwner(file).getName(),
                    ((Number) Files.getAttribute(file, "unix:uid")).longValue());
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return dropped; // no POSIX owners here: the declared user is all there is
        }
        return new DropEnvelope(dropped.sender(), dropped.recipients(), dropped.bodyType(), dropped.smtpUtf8(),
                dropped.dsnReturn(), dropped.dsnEnvelopeId(), owner);
    }

    private void setAside(Path file, String reason) {
        Path target = drop.corrupt().resolve(file.getFileName());
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            LOG.warn("malformed drop file moved to {}: {}", target, reason);
        } catch (IOException e) {
            LOG.error("malformed drop file {} could not be moved to {}: {} ({})", file, drop.corrupt(), reason, e.toString());
        }
    }

    /**
     * RFC 5321 4.4: every relay that takes a message adds a Received field. There is no client
     * connection, so it names the local user as Postfix's pickup does.
     */
    private String received(DropEnvelope dropped, IncomingMessage incoming, Instant now) {
        return "Received: by " + hostname + " (mta pickup, from userid " + dropped.submitter().uid() + ")\r\n"
                + "\tid " + incoming.id() + ";\r\n"
                + "\t" + DATE.format(ZonedDateTime.ofInstant(now, clock.getZone())) + "\r\n";
    }

    private static Envelope envelope(DropEnvelope dropped, Instant now) {
        return new Envelope(dropped.sender(), dropped.recipients(), dropped.bodyType(), dropped.smtpUtf8(),
                dropped.dsnReturn(), dropped.dsnEnvelopeId(),
                // the local user is vouched for by the drop directory's permissions, not by SMTP AUTH
                new Envelope.ClientInfo("127.0.0.1", "sendmail", Optional.of(dropped.submitter().name())),
                now, Envelope.Origin.SUBMITTED);
    }
}
