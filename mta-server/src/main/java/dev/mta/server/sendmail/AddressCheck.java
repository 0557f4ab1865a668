package dev.mta.server.sendmail;

import dev.mta.delivery.route.NextHop;
import dev.mta.delivery.route.RouteResult;
import dev.mta.security.mtasts.InMemoryStsPolicyStore;
import dev.mta.server.config.RelayConfig;
import dev.mta.server.delivery.HopComponents;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * {@code sendmail -bv}: says for each recipient whether and where the relay would deliver it,
 * without sending anything: qualification and rewriting as for a message, then the route (static
 * route, MX hosts in order, null MX, DNS failure).
 */
public final class AddressCheck {
    /** Exit codes: every address routable; some bounce (EX_NOUSER); some cannot be decided now (EX_TEMPFAIL). */
    public static final int ALL_DELIVERABLE = 0;
    public static final int SOME_UNDELIVERABLE = 67;
    public static final int SOME_UNDECIDED = 75;

    private final RelayConfig config;
    private final PrintWriter out;

    public AddressCheck(RelayConfig config, PrintWriter out) {
        this.config = config;
        this.out = out;
    }

    public int verify(SendmailRequest request, Clock clock) throws SubmissionRefused {
        List<String> recipients = new SubmissionRules(config.sendmail(), config.hostname(), clock).argumentRecipients(request);
        if (recipients.isEmpty()) {
            throw new SubmissionRefused(SubmissionRefused.USAGE, "-bv needs recipient addresses as arguments");
        }
        boolean undeliverable = false;
        boolean undecided = false;
        try (HopComponents hops = HopComponents.create(config, clock, List.of(), new InMemoryStsPolicyStore())) {
            for (String recipient : recipients) {
                String domain = recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
                RouteResult route = hops.router().route(domain);
                switch (route) {
                    case RouteResult.Hosts hosts -> out.println(recipient + ": deliverable via "
                            + String.join(", ", hosts.hosts().stream().map(AddressCheck::describe).toList()));
                    case RouteResult.Bounce bounce -> {
                        out.println(recipient + ": undeliverable (" + bounce.status() + " " + bounce.reason() + ")");
                        undeliverable = true;
                    }
                    case RouteResult.Defer defer -> {
                        out.println(recipient + ": cannot tell now (" + defer.status() + " " + defer.reason() + ")");
                        undecided = true;
                    }
                }
            }
        }
        return undeliverable ? SOME_UNDELIVERABLE : undecided ? SOME_UNDECIDED : ALL_DELIVERABLE;
    }

    private static String describe(NextHop next) {
        return next.host() + ":" + next.port() + next.route().map(r -> " (route)").orElse(" (MX " + next.preference() + ")");
    }
}
