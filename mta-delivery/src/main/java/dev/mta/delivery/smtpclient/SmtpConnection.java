package dev.mta.delivery.smtpclient;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a server: the last handler of the pipeline, which sends commands, routes each
 * reply to whoever waits for it (in order, so pipelined commands work, RFC 2920), runs the timer
 * of each stage, adds TLS after STARTTLS and streams the message content. What to send and what a
 * reply means is up to the conversation running over it ({@link SessionOpening}, then one
 * {@link MailTransaction} after another); when the connection fails under a conversation, it
 * tells that conversation once, with the stage, and closes.
 *
 * <p>Everything here runs on the channel's event loop; other threads go through {@link #execute}.
 */
final class SmtpConnection extends SimpleChannelInboundHandler<SmtpReply> {
    private static final Logger log = LoggerFactory.getLogger(SmtpConnection.class);

    /** What to do with the reply to one command. */
    @FunctionalInterface
    interface ReplyHandler {
        void onReply(SmtpReply reply);
    }

    /** The conversation currently running; told (once) when the connection fails under it. */
    @FunctionalInterface
    interface Conversation {
        void failed(Stage stage, DeliveryError error);
    }

    private record Expectation(Stage stage, Duration timeout, ReplyHandler handler) {
    }

    private final Hop hop;
    private final SmtpClientSettings settings;
    private final SmtpReplyDecoder decoder;
    private final Consumer<SmtpConnection> onActive;
    private final Deque<Expectation> expected = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private Conversation conversation;
    private Stage stage = Stage.GREETING;
    private ScheduledFuture<?> replyTimer;
    private ScheduledFuture<?> progressTimer;
    private ScheduledFuture<?> handshakeTimer;
    private boolean bodyInFlight;
    private long lastProgressNanos;
    private boolean handshaking;
    private boolean closing;
    private String greeting = "";
    private ServerExtensions extensions = ServerExtensions.none();
    private Optional<SSLSession> tlsSession = Optional.empty();
    private Optional<String> peerAuthentication = Optional.empty();
    private Optional<PeerVerdict.Rejected> overlooked = Optional.empty();
    private int transactions;

    /**
     * @param onActive starts the first conversation once the TCP connection is up, so no reply
     *                 can arrive before someone waits for it
     */
    SmtpConnection(Hop hop, SmtpClientSettings settings, SmtpReplyDecoder decoder, Consumer<SmtpConnection> onActive) {
        this.hop = hop;
        this.settings = settings;
        this.decoder = decoder;
        this.onActive = onActive;
    }

    // ---- what conversations use ----

    Hop hop() {
        return hop;
    }

    SmtpClientSettings settings() {
        return settings;
    }

    /** Makes {@code conversation} the one told about failures from now on. */
    void begin(Conversation conversation) {
        this.conversation = conversation;
    }

    /** The conversation is over; the connection is idle (or about to be closed). */
    void end() {
        this.conversation = null;
    }

    /** Waits for a reply without sending anything (the greeting). */
    void expect(Stage stage, ReplyHandler handler) {
        expect(stage, settings.timeouts().at(stage), handler);
    }

    /** Sends one command and waits for its reply. */
    void send(SmtpCommand command, Stage stage, ReplyHandler handler) {
        write(command, stage, handler);
        ctx.flush();
    }

    /** Queues a command without flushing, for a pipelined group (RFC 2920 3.1); then {@link #flush()}. */
    void write(SmtpCommand command, Stage stage, ReplyHandler handler) {
        log.debug("{} > {}", hop, command);
        expect(stage, handler);
        ctx.write(command).addListener(this::onWritten);
    }

    void flush() {
        ctx.flush();
    }

    /**
     * Puts TLS under the session after the server's 220 to STARTTLS and runs the handshake; then
     * hands the session to {@code onHandshake}. A failed or late handshake fails the conversation
     * with {@link DeliveryError.TlsFailed} at {@link Stage#STARTTLS}.
     */
    void startTls(SslHandler tls, Consumer<SSLSession> onHandshake) {
        if (decoder.holdsUnreadBytes()) {
            // RFC 3207 5: nothing may follow the 220 in clear text; whatever did was injected.
            fail(Stage.STARTTLS, new DeliveryError.Protocol("the server sent more after its 220 to STARTTLS"));
            return;
        }
        stage = Stage.STARTTLS;
        handshaking = true;
        Duration timeout = settings.timeouts().starttls();
        handshakeTimer = ctx.executor().schedule(() -> {
            handshaking = false;
            fail(Stage.STARTTLS, new DeliveryError.TlsFailed("TLS handshake not finished within " + timeout));
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        ctx.pipeline().addFirst("tls", tls);
        tls.handshakeFuture().addListener(future -> {
            if (!handshaking) {
                return; // timed out or failed otherwise already
            }
            handshaking = false;
            cancel(handshakeTimer);
            if (future.isSuccess()) {
                SSLSession session = tls.engine().getSession();
                tlsSession = Optional.of(session);
                log.debug("{} TLS {} {}", hop, session.getProtocol(), session.getCipherSuite());
                onHandshake.accept(session);
            } else {
                fail(Stage.STARTTLS, new DeliveryError.TlsFailed(describe(future.cause())));
            }
        });
    }

    /**
     * Streams the content after 354 with back-pressure and waits for the reply to its end. The
     * data block timeout runs while it is sent, the end of data timeout once it is all out.
     */
    void sendBody(InputStream content, ReplyHandler onEndOfData) {
        log.debug("{} > (message content)", hop);
        expected.addLast(new Expectation(Stage.END_OF_DATA, settings.timeouts().endOfData(), onEndOfData));
        stage = Stage.BODY;
        bodyInFlight = true;
        lastProgressNanos = System.nanoTime();
        watchProgress(settings.timeouts().dataBlock());
        ctx.writeAndFlush(new DotStuffedBody(content, () -> lastProgressNanos = System.nanoTime()))
                .addListener(future -> {
                    bodyInFlight = false;
                    cancel(progressTimer);
                    if (future.isSuccess()) {
                        stage = Stage.END_OF_DATA;
                        armReplyTimer();
                    } else if (future.cause() instanceof BodyReadException unreadable) {
                        fail(Stage.BODY, new DeliveryError.BodyUnreadable(unreadable.getMessage()));
                    } else {
                        fail(Stage.BODY, new DeliveryError.ConnectionLost(Stage.BODY));
                    }
                });
    }

    /** Whether the content is still being written (the server answered before it was all out). */
    boolean bodyInFlight() {
        return bodyInFlight;
    }

    /**
     * Says QUIT (RFC 5321 4.1.1.10) and closes when the reply comes, or after the quit timeout.
     * The connection is of no further use from here.
     */
    void quit() {
        if (closing || !ctx.channel().isActive()) {
            close();
            return;
        }
        closing = true;
        conversation = (stage, error) -> close();
        log.debug("{} > QUIT", hop);
        expect(Stage.QUIT, settings.quitTimeout(), reply -> close());
        ctx.writeAndFlush(SmtpCommand.of("QUIT")).addListener(this::onWritten);
    }

    /** Closes at once, telling nobody. */
    void close() {
        closing = true;
        handshaking = false;
        conversation = null;
        stopTimers();
        expected.clear();
        if (ctx != null) {
            ctx.close();
        }
    }

    /** Fails the running conversation (if any) with this error and closes. */
    void fail(Stage failedStage, DeliveryError error) {
        Conversation told = conversation;
        conversation = null;
        log.debug("{} failed at {}: {}", hop, failedStage, error);
        close();
        if (told != null) {
            told.failed(failedStage, error);
        }
    }

    /** Idle, open and fit for another transaction. */
    boolean isUsable() {
        return ctx != null && ctx.channel().isActive() && !closing && conversation == null && expected.isEmpty();
    }

    boolean encrypted() {
        return tlsSession.isPresent();
    }

    void greeting(SmtpReply reply) {
        greeting = reply.toString();
    }

    ServerExtensions extensions() {
        return extensions;
    }

    /** What the last EHLO (or HELO, with none) said the server supports. */
    void extensions(ServerExtensions extensions) {
        this.extensions = extensions;
    }

    /** Counts one more transaction on this connection; returns the new count. */
    int countTransaction() {
        return ++transactions;
    }

    int transactions() {
        return transactions;
    }

    /** What the TLS policy said of the server after the handshake. */
    void peerAccepted(PeerVerdict.Accepted verdict) {
        peerAuthentication = verdict.authentication();
        overlooked = verdict.overlooked();
    }

    SessionInfo sessionInfo() {
        Optional<InetSocketAddress> local = ctx.channel().localAddress() instanceof InetSocketAddress socket
                ? Optional.of(socket) : Optional.empty();
        return new SessionInfo(hop.mxHost(), hop.address(), local, tlsSession.map(SSLSession::getProtocol),
                tlsSession.map(SSLSession::getCipherSuite), peerAuthentication, overlooked, Optional.empty(),
                transactions <= 1, extensions.dsn(), greeting);
    }

    Channel channel() {
        return ctx.channel();
    }

    ChannelFuture closeFuture() {
        return ctx.channel().closeFuture();
    }

    /** Runs a task on this connection's event loop. */
    void execute(Runnable task) {
        ctx.executor().execute(task);
    }

    /** Runs a task on this connection's event loop after a delay. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return ctx.executor().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- Netty events ----

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        onActive.accept(this);
        super.channelActive(context);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext context, SmtpReply reply) {
        log.debug("{} < {}", hop, reply);
        cancel(replyTimer);
        replyTimer = null;
        Expectation waiting = expected.pollFirst();
        if (waiting == null) {
            // RFC 5321 3.8 allows 421 at any time; anything else unasked for is out of step.
            Conversation told = conversation;
            close();
            if (told != null) {
                told.failed(stage, reply.code() == 421 ? new DeliveryError.Reply(reply)
                        : new DeliveryError.Protocol("reply nobody asked for: " + reply));
            }
            return;
        }
        stage = waiting.stage();
        waiting.handler().onReply(reply);
        armReplyTimer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        if (handshaking) {
            handshaking = false;
            fail(Stage.STARTTLS, new DeliveryError.TlsFailed("connection closed during the TLS handshake"));
        } else {
            Stage lostAt = currentStage();
            fail(lostAt, new DeliveryError.ConnectionLost(lostAt));
        }
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        Stage at = currentStage();
        if (cause instanceof MalformedReplyException malformed) {
            fail(at, new DeliveryError.Protocol(malformed.getMessage()));
        } else if (handshaking) {
            handshaking = false;
            fail(Stage.STARTTLS, new DeliveryError.TlsFailed(describe(cause)));
        } else if (cause instanceof IOException || cause instanceof DecoderException) {
            log.debug("{} connection broke at {}", hop, at, cause);
            fail(at, new DeliveryError.ConnectionLost(at));
        } else {
            log.warn("{} unexpected failure at {}", hop, at, cause);
            fail(at, new DeliveryError.ConnectionLost(at));
        }
    }

    // ---- internals ----

    private void expect(Stage expectedStage, Duration timeout, ReplyHandler handler) {
        expected.addLast(new Expectation(expectedStage, timeout, handler));
        if (expected.size() == 1) {
            stage = expectedStage;
            armReplyTimer();
        }
    }

    /** Starts the timer of the reply waited for first, unless content or a handshake is under way. */
    private void armReplyTimer() {
        cancel(replyTimer);
        replyTimer = null;
        Expectation first = expected.peekFirst();
        if (first == null || bodyInFlight || handshaking) {
            return;
        }
        replyTimer = ctx.executor().schedule(() -> fail(first.stage(), new DeliveryError.Timeout(first.stage())),
                first.timeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * RFC 5321 4.5.3.2.5: the data block timeout is about progress, not about the whole content;
     * each chunk the connection takes moves the deadline.
     */
    private void watchProgress(Duration timeout) {
        long idle = System.nanoTime() - lastProgressNanos;
        long left = timeout.toNanos() - idle;
        if (left <= 0) {
            fail(Stage.BODY, new DeliveryError.Timeout(Stage.BODY));
            return;
        }
        progressTimer = ctx.executor().schedule(() -> {
            if (bodyInFlight) {
                watchProgress(timeout);
            }
        }, left, TimeUnit.NANOSECONDS);
    }

    private void onWritten(io.netty.util.concurrent.Future<? super Void> future) {
        if (!future.isSuccess()) {
            Stage at = currentStage();
            fail(at, new DeliveryError.ConnectionLost(at));
        }
    }

    private Stage currentStage() {
        if (bodyInFlight) {
            return Stage.BODY;
        }
        Expectation first = expected.peekFirst();
        return first != null ? first.stage() : stage;
    }

    private void stopTimers() {
        cancel(replyTimer);
        cancel(progressTimer);
        cancel(handshakeTimer);
        replyTimer = null;
        progressTimer = null;
        handshakeTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** A failure's own words, without Netty's wrapping. */
    static String describe(Throwable cause) {
        Throwable root = cause;
        while (root instanceof DecoderException && root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (message == null || message.isBlank()) {
            return root.getClass().getSimpleName();
        }
        // NotSslRecordException quotes the whole record in hex; the start says enough.
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
