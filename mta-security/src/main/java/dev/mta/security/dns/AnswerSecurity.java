package dev.mta.security.dns;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The one place that decides the DNSSEC status of what a lookup learned, per {@link DnssecMode}.
 *
 * <p>VALIDATE reads the verdict of dnsjava's {@link ValidatingResolver} (3.6.4). What its source
 * shows it does, and so what is relied on here:
 * <ul>
 * <li>SECURE: the answer comes back with the AD bit set ({@code processFinishedState}).
 * <li>BOGUS: the answer is replaced by an empty one with RCODE SERVFAIL (or the error RCODE the
 *     server gave), carrying the reason as an EDE option (RFC 8914) when it has a code, and as a
 *     TXT record of class {@value ValidatingResolver#VALIDATION_REASON_QCLASS} named "." in the
 *     additional section. Since {@link ServerErrors} turns every error RCODE of the server into a
 *     failure before the validator sees it, an error RCODE from the validator means BOGUS.
 * <li>INSECURE: the answer as the server gave it, no AD, and the reason TXT record saying why it
 *     is insecure (e.g. "NSEC RRset for the referral proved no DS"; every insecure verdict of a
 *     zone signed with NSEC gives one).
 * <li>Otherwise: when fetching a DS or DNSKEY record fails while a negative answer is checked,
 *     the validator swallows the failure and returns the answer unchecked: no AD, no reason.
 *     That is not proof of insecurity, so it is INDETERMINATE here. (For a few NSEC3 opt-out
 *     cases the validator says insecure without a reason; those too end up INDETERMINATE, which
 *     errs on the side of deferring, never of downgrading.)
 * </ul>
 *
 * <p>TRUST_AD believes the resolver: AD means SECURE (RFC 4035 3.2.3), an answer without it is
 * INSECURE, and an error RCODE with a DNSSEC extended error (RFC 8914 4.7 to 4.13) is BOGUS.
 * OFF calls every answer INSECURE: its records are used, but nothing in them is authenticated.
 */
final class AnswerSecurity {
    /** RFC 8914 4.7 to 4.13 (and code 25 of its registry): what a validating resolver gives for bogus data. */
    private static final Set<Integer> DNSSEC_ERRORS = Set.of(
            ExtendedErrorCodeOption.DNSSEC_BOGUS,
            ExtendedErrorCodeOption.SIGNATURE_EXPIRED,
            ExtendedErrorCodeOption.SIGNATURE_NOT_YET_VALID,
            ExtendedErrorCodeOption.DNSKEY_MISSING,
            ExtendedErrorCodeOption.RRSIGS_MISSING,
            ExtendedErrorCodeOption.NO_ZONE_KEY_BIT_SET,
            ExtendedErrorCodeOption.NSEC_MISSING,
            ExtendedErrorCodeOption.SIGNATURE_EXPIRED_BEFORE_VALID);

    private final DnssecMode mode;

    AnswerSecurity(DnssecMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    DnsSecurity of(Message response) {
        boolean errorRcode = response.getRcode() != Rcode.NOERROR && response.getRcode() != Rcode.NXDOMAIN;
        return switch (mode) {
            case OFF -> DnsSecurity.INSECURE;
            case TRUST_AD -> {
                if (errorRcode) {
                    yield extendedError(response).map(ExtendedErrorCodeOption::getErrorCode)
                            .filter(DNSSEC_ERRORS::contains).isPresent()
                            ? DnsSecurity.BOGUS : DnsSecurity.INDETERMINATE;
                }
                yield response.getHeader().getFlag(Flags.AD) ? DnsSecurity.SECURE : DnsSecurity.INSECURE;
            }
            case VALIDATE -> {
                if (errorRcode) {
                    yield DnsSecurity.BOGUS;
                }
                if (response.getHeader().getFlag(Flags.AD)) {
                    yield DnsSecurity.SECURE;
                }
                yield validatorReason(response).isPresent() ? DnsSecurity.INSECURE : DnsSecurity.INDETERMINATE;
            }
        };
    }

    /** Why the validator (or, in TRUST_AD, the resolver) judged the answer as it did, if it says. */
    static Optional<String> reason(Message response) {
        return validatorReason(response)
                .or(() -> extendedError(response).map(AnswerSecurity::describe));
    }

    /** A question with no answer (timeout, network error, garbage, server error) proves nothing. */
    static DnsSecurity unanswered() {
        return DnsSecurity.INDETERMINATE;
    }

    /** A result resting on several answers (a CNAME chain) is as trustworthy as its weakest. */
    static DnsSecurity weakest(DnsSecurity a, DnsSecurity b) {
        return rank(a) <= rank(b) ? a : b;
    }

    private static int rank(DnsSecurity security) {
        return switch (security) {
            case BOGUS -> 0;
            case INDETERMINATE -> 1;
            case INSECURE -> 2;
            case SECURE -> 3;
        };
    }

    private static Optional<String> validatorReason(Message response) {
        for (Record record : response.getSection(Section.ADDITIONAL)) {
            if (record.getType() == Type.TXT && record.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return Optional.of(String.join("", ((TXTRecord) record).getStrings()));
            }
        }
        return Optional.empty();
    }

    private static Optional<ExtendedErrorCodeOption> extendedError(Message response) {
        OPTRecord opt = response.getOPT();
        if (opt == null) {
            return Optional.empty();
        }
        List<EDNSOption> options = opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR);
        return options.stream().map(ExtendedErrorCodeOption.class::cast).findFirst();
    }

    private static String describe(ExtendedErrorCodeOption error) {
        String name = ExtendedErrorCodeOption.text(error.getErrorCode());
        return error.getText() == null || error.getText().isBlank() ? name : name + ": " + error.getText();
    }
}
