package dev.mta.delivery.smtpclient;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's SMTP client: sends one message to one hop per {@link #send} and reports the result.
 * One event loop group for every connection (a thread per core, no thread per connection).
 * Sessions are kept idle for {@link SmtpClientSettings#reuseIdleTime()} and reused for the next
 * message to an equal {@link Hop}. Concurrency limits per destination are the caller's business;
 * {@link #openConnections(Hop)} tells how many are open.
 *
 * <p>The futures complete on the client's network threads: callbacks must not block.
 */
public final class SmtpClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SmtpClient.class);

    private final SmtpClientSettings settings;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final StartTlsEngines tlsEngines = new StartTlsEngines();
    private final ConnectionPool pool;
    private final ChannelGroup channels = new DefaultChannelGroup("smtp-client", GlobalEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();

    public SmtpClient(SmtpClientSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.group = new NioEventLoopGroup(settings.ioThreads(), new DefaultThreadFactory("smtp-client", true));
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, settings.timeouts().connect().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true);
        this.pool = new ConnectionPool(settings.reuseIdleTime());
    }

    /**
     * Sends one message to one hop, reusing an idle connection to the same hop if one is open.
     * Never completes exceptionally for anything the network or the server does; only after
     * {@link #close()} (IllegalStateException).
     */
    public CompletableFuture<TransactionResult> send(Hop hop, OutboundMessage message) {
        Objects.requireNonNull(hop, "hop");
        Objects.requireNonNull(message, "message");
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the SMTP client is closed"));
        }
        Optional<SmtpConnection> idle = pool.takeIdle(hop);
        if (idle.isPresent()) {
            log.debug("{} reusing a session", hop);
            return sendOver(idle.get(), message, true);
        }
        return sendOverNewConnection(hop, message, true);
    }

    /**
     * Connects, reads the greeting, says EHLO and STARTTLS as the hop's policy demands (the
     * policy judges the certificate), then QUIT, sending no mail: what {@code mta policy --probe}
     * needs, like Postfix's posttls-finger. Completes with a {@link TransactionResult.Completed}
     * without recipients, or the {@link TransactionResult.Failed} that a delivery would have met.
     */
    public CompletableFuture<TransactionResult> probe(Hop hop) {
        Objects.requireNonNull(hop, "hop");
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the SMTP client is closed"));
        }
        return open(hop, true).thenApply(outcome -> switch (outcome) {
            case SessionOpening.Opened opened -> {
                SmtpConnection connection = opened.connection();
                SessionInfo session = connection.sessionInfo();
                connection.execute(connection::quit);
                yield new TransactionResult.Completed(session, List.of());
            }
            case SessionOpening.Refused refused -> refused.failure();
        });
    }

    /** Connections open to this hop now, idle or busy. */
    public int openConnections(Hop hop) {
        return pool.openConnections(hop);
    }

    /** Open connections per hop, for metrics; hops with none are absent. */
    public Map<Hop, Integer> openConnections() {
        return pool.openConnections();
    }

    /**
     * Every connection open now, to any hop, in use or idle for reuse: the "active outbound
     * connections" of the metrics. Cheap (two counters read under the pool's lock), so it can be
     * read at every scrape. Both counts return to zero when the connections end, however they end
     * (QUIT, idle time over, the server dropping them, failures, {@link #close()}).
     */
    public ConnectionCounts connectionCounts() {
        return pool.counts();
    }

    /** Sessions to this hop waiting idle for another message. */
    public int idleConnections(Hop hop) {
        return pool.idleConnections(hop);
    }

    /**
     * Says QUIT on idle sessions, waits up to the quit timeout for every connection to end (busy
     * ones are then cut), and stops the network threads.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (SmtpConnection connection : pool.drain()) {
            connection.execute(connection::quit);
        }
        long timeoutMillis = settings.quitTimeout().toMillis();
        channels.newCloseFuture().awaitUninterruptibly(timeoutMillis);
        channels.close().awaitUninterruptibly(timeoutMillis);
        group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly(timeoutMillis);
    }

    private CompletableFuture<TransactionResult> sendOverNewConnection(Hop hop, OutboundMessage message,
                                                                       boolean startTlsAllowed) {
        return open(hop, startTlsAllowed).thenCompose(outcome -> switch (outcome) {
            case SessionOpening.Opened opened -> sendOver(opened.connection(), message, false);
            case SessionOpening.Refused refused -> {
                if (refused.handshakeFailed() && startTlsAllowed && mayRetryInClearText(hop.tls())) {
                    // RFC 7672 1.3: unauthenticated TLS may fall back to clear text, once, on a new connection.
                    log.info("{} TLS handshake failed ({}); trying once more without STARTTLS", hop,
                            refused.failure().error());
                    String handshakeFailure = refused.failure().error() instanceof DeliveryError.TlsFailed tls
                            ? tls.reason() : refused.failure().error().toString();
                    yield sendOverNewConnection(hop, message, false)
                            .thenApply(result -> afterClearTextFallback(result, handshakeFailure));
                }
                yield CompletableFuture.completedFuture(refused.failure());
            }
        });
    }

    /** Marks the retry's session, so a TLS report counts the failed negotiation (RFC 8460 4.3.1). */
    private static TransactionResult afterClearTextFallback(TransactionResult result, String handshakeFailure) {
        return switch (result) {
            case TransactionResult.Completed completed ->
                    new TransactionResult.Completed(completed.session().afterClearTextFallback(handshakeFailure), completed.recipients());
            case TransactionResult.Failed failed ->
                    new TransactionResult.Failed(failed.session().afterClearTextFallback(handshakeFailure), failed.stage(), failed.error());
            case TransactionResult.NotSendable notSendable -> notSendable;
        };
    }

    private static boolean mayRetryInClearText(TlsPolicy policy) {
        return policy.startTls() != TlsPolicy.StartTls.REQUIRED && policy.retryInClearTextAfterHandshakeFailure();
    }

    private CompletableFuture<SessionOpening.Outcome> open(Hop hop, boolean startTlsAllowed) {
        SessionOpening opening = new SessionOpening(hop, settings.heloName(), startTlsAllowed, tlsEngines);
        Bootstrap connecting = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                SmtpReplyDecoder decoder = new SmtpReplyDecoder();
                channel.pipeline()
                        .addLast("replies", decoder)
                        .addLast("commands", SmtpCommandEncoder.INSTANCE)
                        .addLast("content", new ChunkedWriteHandler())
                        .addLast("session", new SmtpConnection(hop, settings, decoder, connection -> {
                            pool.opened(hop);
                            connection.closeFuture().addListener(closed -> pool.closed(hop, connection));
                            // After the listener above, so close() sees the counts settled.
                            channels.add(connection.channel());
                            opening.start(connection);
                        }));
            }
        });
        ChannelFuture connect;
        try {
            connect = connecting.connect(hop.address());
        } catch (RejectedExecutionException e) {
            opening.connectFailed(e);
            return opening.outcome();
        }
        connect.addListener(future -> {
            if (!future.isSuccess()) {
                opening.connectFailed(future.cause());
            }
        });
        return opening.outcome();
    }

    /**
     * @param sessionWasDead the session broke right at MAIL; for a reused session that means it
     *                       died while idle, and the message deserves a new connection
     */
    private record Attempt(TransactionResult result, boolean sessionWasDead) {
    }

    private CompletableFuture<TransactionResult> sendOver(SmtpConnection connection, OutboundMessage message,
                                                          boolean reused) {
        Hop hop = connection.hop();
        CompletableFuture<Attempt> attempt = new CompletableFuture<>();
        try {
            connection.execute(() -> transact(connection, message, attempt));
        } catch (RejectedExecutionException e) {
            attempt.completeExceptionally(new IllegalStateException("the SMTP client is closed", e));
        }
        return attempt.thenCompose(done -> {
            if (reused && done.sessionWasDead()) {
                log.debug("{} idle session had died; opening a new one", hop);
                return sendOverNewConnection(hop, message, true);
            }
            return CompletableFuture.completedFuture(done.result());
        });
    }

    /** Runs the transaction on the connection's event loop. */
    private void transact(SmtpConnection connection, OutboundMessage message, CompletableFuture<Attempt> attempt) {
        Hop hop = connection.hop();
        if (!connection.isUsable()) {
            connection.close();
            attempt.complete(new Attempt(new TransactionResult.Failed(connection.sessionInfo(), Stage.MAIL,
                    new DeliveryError.ConnectionLost(Stage.MAIL)), true));
            return;
        }
        Optional<TransactionResult.NotSendable> refusal =
                Sendability.check(message, connection.extensions(), hop.mxHost());
        if (refusal.isPresent()) {
            release(connection, true, () -> attempt.complete(new Attempt(refusal.get(), false)));
            return;
        }
        connection.countTransaction();
        new MailTransaction(connection, message).start().whenComplete((outcome, error) -> {
            if (error != null) {
                connection.close();
                attempt.completeExceptionally(error);
                return;
            }
            Attempt done = new Attempt(outcome.result(), outcome.staleSession());
            if (outcome.staleSession()) {
                connection.close();
                attempt.complete(done);
            } else {
                release(connection, outcome.reusable(), () -> attempt.complete(done));
            }
        });
    }

    /**
     * Back to the pool for the next message to this hop, or QUIT; {@code then} runs once the
     * connection is parked, or closed after the QUIT reply (or the quit timeout). The attempt ends
     * only then, as a Postfix delivery agent does: the caller's per-destination slot covers the
     * connection until it is gone, so the next hop never sees more connections than the limit.
     */
    private void release(SmtpConnection connection, boolean reusable, Runnable then) {
        boolean keep = reusable && !closed.get() && connection.isUsable()
                && !settings.reuseIdleTime().isZero()
                && connection.transactions() < settings.maxMessagesPerConnection();
        if (keep) {
            pool.park(connection.hop(), connection);
            then.run();
        } else {
            connection.quit();
            connection.closeFuture().addListener(closed -> then.run());
        }
    }
}
