package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8461 3.2: the policy body, valid and invalid. */
class StsPolicyParserTest {

    private static ParseResult.Valid valid(String body) {
        ParseResult result = StsPolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Valid.class);
        return (ParseResult.Valid) result;
    }

    private static String invalidReason(String body) {
        ParseResult result = StsPolicyParser.parse(body);
        assertThat(result).isInstanceOf(ParseResult.Invalid.class);
        return ((ParseResult.Invalid) result).reason();
    }

    @Test
    void crlfSeparatedPolicyIsRead() {
        ParseResult.Valid policy = valid("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
                + "mx: *.example.net\r\nmax_age: 604800\r\n");
        assertThat(policy.mode()).isEqualTo(StsMode.ENFORCE);
        assertThat(policy.mx()).containsExactly("mail.example.com", "*.example.net");
        assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void lfSeparatedPolicyIsRead() {
        assertThat(valid("version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400\n").mode())
                .isEqualTo(StsMode.TESTING);
    }

    @Test
    void lastLineMayLackTheTerminator() {
        assertThat(valid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 86400").mx())
                .containsExactly("mx.example.com");
    }

    @Test
    void mixedTerminatorsAreAccepted() {
        valid("version: STSv1\r\nmode: enforce\nmx: mx.example.com\r\nmax_age: 1\n");
    }

    @Test
    void keysMayComeInAnyOrder() {
        valid("max_age: 10\nmx: mx.example.com\nmode: enforce\nversion: STSv1\n");
    }

    @Test
    void whitespaceAfterTheColonAndAtTheEndIsAllowed() {
        ParseResult.Valid policy = valid("version:STSv1\t\nmode:\t enforce  \nmx:   mx.example.com \nmax_age: 60\t\n");
        assertThat(policy.mx()).containsExactly("mx.example.com");
    }

    @Test
    void whitespaceBeforeTheColonIsInvalid() {
        assertThat(invalidReason("version : STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60\n"))
                .contains("line 1");
    }

    @Test
    void leadingWhitespaceIsInvalid() {
        invalidReason("version: STSv1\n mode: enforce\nmx: mx.example.com\nmax_age: 60\n");
    }

    @Test
    void emptyLineInTheMiddleIsInvalid() {
        assertThat(invalidReason("version: STSv1\n\nmode: enforce\nmx: mx.example.com\nmax_age: 60\n"))
                .contains("empty line");
    }

    @Test
    void emptyBodyIsInvalid() {
        invalidReason("");
    }

    @Test
    void unknownKeysAreIgnored() {
        ParseResult.Valid policy = valid("version: STSv1\nmode: enforce\nfoo_bar-1.x: some value here\n"
                + "mx: mx.example.com\nmax_age: 60\n");
        assertThat(policy.mx()).containsExactly("mx.example.com");
    }

    @Test
    void duplicateModeIsInvalid() {
        assertThat(invalidReason("version: STSv1\nmode: enforce\nmode: testing\nmx: mx.example.com\nmax_age: 60\n"))
                .contains("mode given more than once");
    }

    @Test
    void duplicateMaxAgeIsInvalid() {
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60\nmax_age: 60\n");
    }

    @Test
    void duplicateVersionIsInvalid() {
        invalidReason("version: STSv1\nversion: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60\n");
    }

    @Test
    void repeatedMxIsAllowedAndDuplicatesCollapse() {
        assertThat(valid("version: STSv1\nmode: enforce\nmx: a.example.com\nmx: B.example.com\nmx: a.example.com\nmax_age: 60\n").mx())
                .containsExactly("a.example.com", "b.example.com");
    }

    @Test
    void missingVersionIsInvalid() {
        assertThat(invalidReason("mode: enforce\nmx: mx.example.com\nmax_age: 60\n")).isEqualTo("no version");
    }

    @Test
    void wrongVersionIsInvalid() {
        invalidReason("version: STSv2\nmode: enforce\nmx: mx.example.com\nmax_age: 60\n");
    }

    @Test
    void versionIsCaseSensitive() {
        invalidReason("version: stsv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60\n");
    }

    @Test
    void keysAreCaseSensitive() {
        // "Mode" is an unknown (ignored) key, so the policy lacks a mode.
        assertThat(invalidReason("version: STSv1\nMode: enforce\nmx: mx.example.com\nmax_age: 60\n")).isEqualTo("no mode");
    }

    @Test
    void missingModeIsInvalid() {
        assertThat(invalidReason("version: STSv1\nmx: mx.example.com\nmax_age: 60\n")).isEqualTo("no mode");
    }

    @Test
    void unknownModeIsInvalid() {
        invalidReason("version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 60\n");
    }

    @Test
    void missingMaxAgeIsInvalid() {
        assertThat(invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\n")).isEqualTo("no max_age");
    }

    @Test
    void maxAgeAtTheLimitIsValid() {
        assertThat(valid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557600\n").maxAge())
                .isEqualTo(Duration.ofSeconds(31_557_600));
    }

    @Test
    void maxAgeZeroIsValid() {
        assertThat(valid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 0\n").maxAge()).isZero();
    }

    @Test
    void maxAgeAboveTheLimitIsInvalid() {
        assertThat(invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 31557601\n"))
                .contains("exceeds");
    }

    @Test
    void maxAgeWithMoreThanTenDigitsIsInvalid() {
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 00000000001\n");
    }

    @Test
    void maxAgeThatIsNotDigitsIsInvalid() {
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 1d\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 1 000\n");
    }

    @Test
    void enforceWithoutMxIsInvalid() {
        assertThat(invalidReason("version: STSv1\nmode: enforce\nmax_age: 60\n")).isEqualTo("no mx in mode enforce");
    }

    @Test
    void testingWithoutMxIsInvalid() {
        invalidReason("version: STSv1\nmode: testing\nmax_age: 60\n");
    }

    @Test
    void modeNoneNeedsNoMx() {
        ParseResult.Valid policy = valid("version: STSv1\nmode: none\nmax_age: 86400\n");
        assertThat(policy.mode()).isEqualTo(StsMode.NONE);
        assertThat(policy.mx()).isEmpty();
    }

    @Test
    void wildcardMxPatternIsAccepted() {
        assertThat(valid("version: STSv1\nmode: enforce\nmx: *.mail.example.com\nmax_age: 60\n").mx())
                .containsExactly("*.mail.example.com");
    }

    @Test
    void wildcardInsideAPatternIsInvalid() {
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.*.example.com\nmax_age: 60\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: *mx.example.com\nmax_age: 60\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 60\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: *\nmax_age: 60\n");
    }

    @Test
    void malformedMxIsInvalid() {
        invalidReason("version: STSv1\nmode: enforce\nmx: mx..example.com\nmax_age: 60\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: -mx.example.com\nmax_age: 60\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: mx.example.com.\nmax_age: 60\n");
        invalidReason("version: STSv1\nmode: enforce\nmx: mx example.com\nmax_age: 60\n");
    }

    @Test
    void emptyValueIsInvalid() {
        assertThat(invalidReason("version: STSv1\nmode: enforce\nmx:\nmx: mx.example.com\nmax_age: 60\n"))
                .contains("no value for mx");
    }

    @Test
    void lineWithoutColonIsInvalid() {
        invalidReason("version: STSv1\nmode: enforce\nmx mx.example.com\nmax_age: 60\n");
    }

    @Test
    void bareCarriageReturnInsideALineIsInvalid() {
        invalidReason("version: STSv1\rmode: enforce\nmx: mx.example.com\nmax_age: 60\n");
    }

    @Test
    void htmlErrorPageIsInvalid() {
        invalidReason("<html><body>Not here</body></html>\n");
    }

    @Test
    void validResultBecomesAPolicyWithIdAndFetchTime() {
        StsPolicy policy = valid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 60\n")
                .toPolicy("20260101", Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(policy.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:01:00Z"));
        assertThat(policy.mx()).isEqualTo(List.of("mx.example.com"));
        assertThat(policy.permits("MX.example.com.")).isTrue();
        assertThat(policy.permits("other.example.com")).isFalse();
    }
}
