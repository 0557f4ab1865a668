package dev.mta.server.smtp;

import dev.mta.queue.MessageStore;
import dev.mta.server.config.ListenerConfig;
import dev.mta.server.config.ListenerMode;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.api.ClientAuth;
import org.apache.james.protocols.api.handler.WiringException;
import org.apache.james.protocols.netty.Encryption;
import org.apache.james.protocols.netty.NettyServer;
import org.apache.james.protocols.smtp.SMTPProtocol;
import org.apache.james.protocols.smtp.SMTPProtocolHandlerChain;
import org.apache.james.protocols.smtp.core.ExpnCmdHandler;
import org.apache.james.protocols.smtp.core.HeloCmdHandler;
import org.apache.james.protocols.smtp.core.HelpCmdHandler;
import org.apache.james.protocols.smtp.core.NoopCmdHandler;
import org.apache.james.protocols.smtp.core.QuitCmdHandler;
import org.apache.james.protocols.smtp.core.RsetCmdHandler;
import org.apache.james.protocols.smtp.core.UnknownCmdHandler;
import org.apache.james.protocols.smtp.core.VrfyCmdHandler;
import org.apache.james.protocols.smtp.core.WelcomeMessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP listener: James Protocols' Netty server with the relay's own handler chain. James
 * supplies the session, greeting, EHLO/HELO, RSET, NOOP, QUIT, VRFY, HELP and the TLS plumbing;
 * everything that decides what is accepted (MAIL, RCPT, DATA, AUTH, the framing of lines) is the
 * relay's. Its default handlers that would weaken that are left out on purpose: the postmaster
 * hook (it lets anyone relay to postmaster@anywhere) and the in-memory message buffer.
 */
public final class SmtpListener {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpListener.class);
    // Longest command or data line handed over whole; RFC 5321 allows 512 for commands and 1000
    // for text lines, AUTH responses and ESMTP parameters may be longer (Postfix's line_length_limit).
    private static final int MAX_LINE = 2048;

    private final ListenerConfig listener;
    private final NettyServer server;
    private final ListenerContext context;
    private final ConnectionGate gate;

    private SmtpListener(ListenerConfig listener, NettyServer server, ListenerContext context, ConnectionGate gate) {
        this.listener = listener;
        this.server = server;
        this.context = context;
        this.gate = gate;
    }

    public static SmtpListener start(String hostname, ListenerConfig listener, ListenerSettings settings,
            Path dataDirectory, MessageStore store, Optional<ServerTls> tls, Clock clock, MeterRegistry meters,
            AuthThrottle authThrottle) throws Exception {
        if (listener.mode() == ListenerMode.SUBMISSIONS && tls.isEmpty()) {
            throw new IllegalStateException("listener " + listener.name() + " needs TLS but no certificate is loaded");
        }
        ListenerContext context = new ListenerContext(hostname, listener, settings, dataDirectory, store, clock,
                new ListenerMetrics(meters, listener.name()), authThrottle);
        ConnectionGate gate = new ConnectionGate(context);
        context.gate(gate);
        SMTPProtocol protocol = new SMTPProtocol(chain(context, tls.isPresent()), new ListenerSmtpConfiguration(context));
        Encryption encryption = tls.map(t -> listener.mode() == ListenerMode.SUBMISSIONS
                        ? Encryption.createTls(t.context(), t.cipherSuites(), t.protocols(), ClientAuth.NONE)
                        : Encryption.createStartTls(t.context(), t.cipherSuites(), t.protocols(), ClientAuth.NONE))
                .orElse(null);
        NettyServer server = new NettyServer.Factory()
                .protocol(protocol)
                .secure(encryption)
                .frameHandlerFactory(pipeline -> {
                    // Called for each new connection: the gate and the backpressure (on the event
                    // loop) go just before the framer (on James' executor), and
                    // the timeouts are read now, so a reload applies to the next session.
                    pipeline.addLast("mta-gate", gate);
                    pipeline.addLast("mta-backpressure", new ReadBackpressure());
                    return new SmtpFramer(MAX_LINE, hostname, context.smtp().idleTimeout(), context.smtp().sessionTimeout());
                })
                .build();
        server.setTimeout(0); // SmtpFramer owns the timeouts, so that they answer 421 first.
        server.setListenAddresses(new InetSocketAddress(listener.address(), listener.port()));
        server.bind();
        SmtpListener started = new SmtpListener(listener, server, context, gate);
        LOG.info("listening name={} address={} mode={} tls={}", listener.name(), started.boundAddress(),
                listener.mode().configName(), tls.isPresent() ? (listener.mode() == ListenerMode.SUBMISSIONS ? "implicit" : "starttls") : "none");
        return started;
    }

    private static SMTPProtocolHandlerChain chain(ListenerContext context, boolean tlsAvailable) throws WiringException {
        MetricFactory metrics = new UnusedJamesMetrics();
        SMTPProtocolHandlerChain chain = new SMTPProtocolHandlerChain(metrics, false);
        SmtpCommandDispatcher dispatcher = new SmtpCommandDispatcher(context);
        chain.add(dispatcher);
        chain.add(new WelcomeMessageHandler());
        chain.add(new EhloCommand(metrics));
        chain.add(new HeloCmdHandler(metrics));
        chain.add(new EsmtpKeywords(context));
        if (tlsAvailable) {
            chain.add(new StartTlsCommand(dispatcher));
        }
        chain.add(new AuthCommand(context));
        chain.add(new MailCommand(metrics, context));
        chain.add(new RcptCommand(metrics, context));
        chain.add(new RelayAccessHook(context));
        chain.add(new DataCommand(context));
        chain.add(new RsetCmdHandler());
        chain.add(new NoopCmdHandler());
        chain.add(new QuitCmdHandler(metrics));
        chain.add(new VrfyCmdHandler());
        chain.add(new ExpnCmdHandler());
        chain.add(new HelpCmdHandler());
        chain.add(new UnknownCmdHandler(metrics));
        chain.add(new TransactionCleanup());
        chain.wireExtensibleHandlers();
        return chain;
    }

    public ListenerConfig config() {
        return listener;
    }

    /** The address actually bound (the real port when the configuration said 0). */
    public InetSocketAddress boundAddress() {
        return server.getListenAddresses().get(0);
    }

    /** The settings a reload changed; sessions use them from their next command. */
    public void replace(ListenerSettings settings) {
        context.replace(settings);
    }

    /**
     * Stop taking mail, keeping the port: a new connection gets 421 instead of the greeting, an
     * idle session gets 421 now, and one inside a transaction gets it once the transaction ends.
     */
    public void drain() {
        context.drain();
        gate.closeIdle();
    }

    /** Sessions open now. */
    public int openSessions() {
        return gate.openSessions();
    }

    /** Whether the listening socket is still open. */
    public boolean isBound() {
        return server.isBound();
    }

    /** Ends the sessions still open with 421, then releases the port. */
    public void stop() {
        gate.closeAll();
        server.unbind();
    }
}
