package dev.mta.server.cli;

import dev.mta.security.dns.DnsResult;
import dev.mta.security.mtasts.FetchResult;
import dev.mta.security.mtasts.StsLookup;
import dev.mta.security.mtasts.StsPolicy;
import dev.mta.security.mtasts.StsPolicyStore;
import dev.mta.security.mtasts.StsTxtRecord;
import dev.mta.security.tlsrpt.TlsRptRecord;
import dev.mta.server.delivery.HopComponents;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The part of {@code mta policy} about what a destination publishes beside its MX records: the
 * MTA-STS TXT record (RFC 8461 3.1), the policy cached in the queue with its age and expiry, the
 * result of a fresh fetch (3.3), the policy delivery applies now (5.1), and where TLS reports go
 * (RFC 8460 3).
 */
final class DestinationReporting {
    private final PrintWriter out;
    private final HopComponents hops;
    private final Clock clock;

    DestinationReporting(PrintWriter out, HopComponents hops, Clock clock) {
        this.out = out;
        this.hops = hops;
        this.clock = clock;
    }

    /** @param cache the relay's policy cache; read before delivery's own lookup may refresh it */
    void print(String domain, StsPolicyStore cache) {
        if (hops.stsPolicies().isPresent()) {
            Optional<String> id = stsTxt(domain);
            out.println("  MTA-STS cached: " + cache.load(domain).map(this::describeCached).orElse("none"));
            hops.stsFetcher().ifPresent(fetcher -> out.println("  MTA-STS fetch: " + id
                    .map(announced -> describe(fetcher.fetch(domain, announced)))
                    .orElse("not tried (no valid TXT record announces a policy)")));
            out.println("  MTA-STS: " + describe(hops.stsPolicies().get().policyFor(domain)));
        } else {
            out.println("  MTA-STS: off (delivery.mta-sts = false)");
        }
        tlsRpt(domain);
    }

    /** Prints the TXT answer and returns the id of the one valid record, if there is one. */
    private Optional<String> stsTxt(String domain) {
        String name = "_mta-sts." + domain;
        DnsResult<List<String>> answer = hops.txt().txt(name);
        if (!(answer instanceof DnsResult.Found<List<String>> found)) {
            out.println("  MTA-STS TXT " + name + ": " + absent(answer));
            return Optional.empty();
        }
        List<String> records = joined(found);
        Optional<StsTxtRecord> valid = StsTxtRecord.discover(records);
        out.println("  MTA-STS TXT " + name + ": " + quoted(records)
                + valid.map(r -> " (id " + r.id() + ")").orElse(" (no single valid v=STSv1 record: no policy, RFC 8461 3.1)"));
        return valid.map(StsTxtRecord::id);
    }

    private void tlsRpt(String domain) {
        String name = TlsRptRecord.queryName(domain);
        DnsResult<List<String>> answer = hops.txt().txt(name);
        if (!(answer instanceof DnsResult.Found<List<String>> found)) {
            out.println("  TLS-RPT " + name + ": " + absent(answer) + ", no reports are sent");
            return;
        }
        List<String> records = joined(found);
        Optional<TlsRptRecord> record = TlsRptRecord.parse(records);
        String reporting = hops.config().delivery().tlsReports().enabled() ? "" : " (this relay's TLS reports are off)";
        out.println("  TLS-RPT " + name + ": " + record
                .map(r -> "reports to " + r.reportUris() + reporting)
                .orElse(quoted(records) + ": not a single valid v=TLSRPTv1 record, no reports are sent (RFC 8460 3)"));
    }

    private String describeCached(StsPolicy policy) {
        Instant now = clock.instant();
        return summary(policy) + ", fetched " + policy.fetchedAt() + " (" + age(Duration.between(policy.fetchedAt(), now))
                + " ago), expires " + policy.expiresAt() + (policy.isExpiredAt(now) ? " (expired)" : "");
    }

    private static String describe(FetchResult result) {
        return switch (result) {
            case FetchResult.Fetched fetched -> "ok, " + summary(fetched.policy()) + ", max_age "
                    + fetched.policy().maxAge().toSeconds() + "s";
            case FetchResult.Failed failed -> "failed (" + failed.kind().resultType() + "): " + failed.reason();
        };
    }

    private static String describe(StsLookup lookup) {
        return switch (lookup) {
            case StsLookup.InForce inForce -> summary(inForce.policy()) + ", expires " + inForce.policy().expiresAt()
                    + inForce.refreshFailure().map(f -> "; refresh failed: " + f.reason()).orElse("");
            case StsLookup.NoPolicy none -> "no policy (" + none.reason() + ")";
            case StsLookup.Unavailable unavailable -> "policy published but not fetched: " + unavailable.failure().reason();
        };
    }

    private static String summary(StsPolicy policy) {
        return "mode " + policy.mode().token() + ", mx " + policy.mx() + ", id " + policy.id();
    }

    private static String absent(DnsResult<List<String>> answer) {
        return switch (answer) {
            case DnsResult.NxDomain<List<String>> ignored -> "none (NXDOMAIN)";
            case DnsResult.NoData<List<String>> ignored -> "none (no TXT records)";
            case DnsResult.Failed<List<String>> failed -> "lookup failed, " + failed.reason();
            case DnsResult.Found<List<String>> ignored -> "found";
        };
    }

    private static List<String> joined(DnsResult.Found<List<String>> found) {
        // RFC 8461 3.1, RFC 8460 3: the strings of one record are concatenated.
        return found.records().stream().map(strings -> String.join("", strings)).toList();
    }

    private static String quoted(List<String> records) {
        return String.join(", ", records.stream().map(r -> "\"" + r + "\"").toList());
    }

    private static String age(Duration age) {
        long minutes = Math.max(0, age.toMinutes());
        return minutes < 60 ? minutes + "m" : minutes / 60 + "h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + "m");
    }
}
