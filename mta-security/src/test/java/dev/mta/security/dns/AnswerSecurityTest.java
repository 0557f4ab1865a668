package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

class AnswerSecurityTest {
    private final AnswerSecurity validate = new AnswerSecurity(DnssecMode.VALIDATE);
    private final AnswerSecurity trustAd = new AnswerSecurity(DnssecMode.TRUST_AD);
    private final AnswerSecurity off = new AnswerSecurity(DnssecMode.OFF);

    @Test
    void chainIsAsTrustworthyAsItsWeakestAnswer() {
        assertThat(AnswerSecurity.weakest(DnsSecurity.SECURE, DnsSecurity.INSECURE)).isEqualTo(DnsSecurity.INSECURE);
        assertThat(AnswerSecurity.weakest(DnsSecurity.INSECURE, DnsSecurity.INDETERMINATE)).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(AnswerSecurity.weakest(DnsSecurity.BOGUS, DnsSecurity.INDETERMINATE)).isEqualTo(DnsSecurity.BOGUS);
        assertThat(AnswerSecurity.weakest(DnsSecurity.SECURE, DnsSecurity.SECURE)).isEqualTo(DnsSecurity.SECURE);
    }

    @Test
    void noAnswerIsIndeterminate() {
        assertThat(AnswerSecurity.unanswered()).isEqualTo(DnsSecurity.INDETERMINATE);
    }

    @Test
    void validatorsAdBitIsSecure() {
        assertThat(validate.of(answer(Rcode.NOERROR, true, null))).isEqualTo(DnsSecurity.SECURE);
    }

    @Test
    void validatorsServfailIsBogusWithItsReason() {
        Message bogus = answer(Rcode.SERVFAIL, false, "Positive response has failed ANSWER rrset");

        assertThat(validate.of(bogus)).isEqualTo(DnsSecurity.BOGUS);
        assertThat(AnswerSecurity.reason(bogus)).contains("Positive response has failed ANSWER rrset");
    }

    @Test
    void answerTheValidatorProvedInsecureSaysWhy() {
        assertThat(validate.of(answer(Rcode.NOERROR, false, "NSEC RRset for the referral proved no DS.")))
                .isEqualTo(DnsSecurity.INSECURE);
    }

    @Test
    void answerTheValidatorLeftUncheckedIsIndeterminate() {
        assertThat(validate.of(answer(Rcode.NOERROR, false, null))).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(validate.of(answer(Rcode.NXDOMAIN, false, null))).isEqualTo(DnsSecurity.INDETERMINATE);
    }

    @Test
    void trustedResolversAdBitIsSecureAndItsAbsenceInsecure() {
        assertThat(trustAd.of(answer(Rcode.NOERROR, true, null))).isEqualTo(DnsSecurity.SECURE);
        assertThat(trustAd.of(answer(Rcode.NXDOMAIN, false, null))).isEqualTo(DnsSecurity.INSECURE);
    }

    @Test
    void trustedResolversServfailIsBogusOnlyWithADnssecExtendedError() {
        Message expired = answer(Rcode.SERVFAIL, false, null);
        expired.addRecord(new OPTRecord(1232, 0, 0, 0,
                List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.SIGNATURE_EXPIRED, "RRSIG expired"))),
                Section.ADDITIONAL);
        Message unreachable = answer(Rcode.SERVFAIL, false, null);
        unreachable.addRecord(new OPTRecord(1232, 0, 0, 0,
                List.of(new ExtendedErrorCodeOption(ExtendedErrorCodeOption.NO_REACHABLE_AUTHORITY))), Section.ADDITIONAL);

        assertThat(trustAd.of(expired)).isEqualTo(DnsSecurity.BOGUS);
        assertThat(AnswerSecurity.reason(expired)).hasValueSatisfying(reason -> assertThat(reason).contains("RRSIG expired"));
        assertThat(trustAd.of(unreachable)).isEqualTo(DnsSecurity.INDETERMINATE);
        assertThat(trustAd.of(answer(Rcode.SERVFAIL, false, null))).isEqualTo(DnsSecurity.INDETERMINATE);
    }

    @Test
    void withoutDnssecEverythingIsInsecureEvenTheAdBit() {
        assertThat(off.of(answer(Rcode.NOERROR, true, null))).isEqualTo(DnsSecurity.INSECURE);
        assertThat(off.of(answer(Rcode.SERVFAIL, false, null))).isEqualTo(DnsSecurity.INSECURE);
    }

    /** A response as dnsjava's validator shapes it: AD for secure, the reason as a TXT of class 65280. */
    private static Message answer(int rcode, boolean authenticData, String reason) {
        Message message = new Message();
        message.getHeader().setFlag(Flags.QR);
        message.getHeader().setRcode(rcode);
        if (authenticData) {
            message.getHeader().setFlag(Flags.AD);
        }
        message.addRecord(Record.newRecord(Name.fromConstantString("example.org."), Type.MX, DClass.IN), Section.QUESTION);
        if (reason != null) {
            message.addRecord(new TXTRecord(Name.root, ValidatingResolver.VALIDATION_REASON_QCLASS, 0, reason),
                    Section.ADDITIONAL);
        }
        return message;
    }
}
