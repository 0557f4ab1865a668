package dev.mta.server.smtp;

import java.util.Optional;
import org.apache.james.protocols.api.OidcSASLConfiguration;
import org.apache.james.protocols.smtp.SMTPConfiguration;

/** James' view of one listener's settings. Relay and AUTH decisions are made by the relay's own handlers. */
final class ListenerSmtpConfiguration implements SMTPConfiguration {
    private final ListenerContext context;

    ListenerSmtpConfiguration(ListenerContext context) {
        this.context = context;
    }

    @Override
    public String getHelloName() {
        return context.hostname();
    }

    @Override
    public String getGreeting() {
        return context.hostname() + " ESMTP";
    }

    @Override
    public String getSoftwareName() {
        return "mta";
    }

    @Override
    public long getMaxMessageSize() {
        return context.smtp().maxMessageSize();
    }

    @Override
    public boolean isRelayingAllowed(String remoteIP) {
        return false; // RelayAccessHook decides, with the networks and the AUTH state.
    }

    @Override
    public boolean isAuthAnnounced(String remoteIP, boolean tlsStarted) {
        return tlsStarted && context.authenticator().isPresent();
    }

    @Override
    public boolean useHeloEhloEnforcement() {
        return true;
    }

    @Override
    public boolean useAddressBracketsEnforcement() {
        return true;
    }

    @Override
    public boolean isPlainAuthEnabled() {
        return false; // James' AUTH handler is not used; AuthCommand is.
    }

    @Override
    public Optional<OidcSASLConfiguration> saslConfiguration() {
        return Optional.empty();
    }
}
