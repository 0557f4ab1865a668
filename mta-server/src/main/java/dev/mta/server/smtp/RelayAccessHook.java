package dev.mta.server.smtp;

import dev.mta.queue.EnvelopeRecipient;
import dev.mta.server.config.Cidr;
import java.net.InetAddress;
import java.util.List;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;

/**
 * The relay rule: a client in the relay networks, or one that authenticated, may send to any
 * address; anyone else to none. The relay has no local domains, so there is no recipient an
 * outsider may reach through it, whatever the address looks like (percent hacks, source routes,
 * quoted local parts, postmaster).
 */
final class RelayAccessHook implements RecipientHook {
    private static final HookResult DENIED = HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode("554")
            .smtpDescription("5.7.1 Relay access denied")
            .build();

    private final ListenerContext context;

    RelayAccessHook(ListenerContext context) {
        this.context = context;
    }

    @Override
    public HookResult onRecipient(SMTPSession session, EnvelopeRecipient recipient) {
        if (session.getUsername() != null || inRelayNetworks(session.getRemoteAddress().getAddress())) {
            return HookResult.DECLINED;
        }
        return DENIED;
    }

    private boolean inRelayNetworks(InetAddress client) {
        for (Cidr network : context.smtp().relayNetworks()) {
            if (network.contains(client)) {
                return true;
            }
        }
        return false;
    }
}
