package dev.mta.server.smtp.syntax;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** RFC 5321 4.1.2 path grammar, with RFC 6531 3.3 for SMTPUTF8. */
class PathParserTest {

    private static Mailbox mailbox(String path) throws SyntaxException {
        return PathParser.parse(path, false, false).mailbox().orElseThrow();
    }

    @Test
    void plainAddressKeepsLocalPartCaseAndLowersDomain() throws Exception {
        Mailbox m = mailbox("<John.Doe@Example.ORG>");
        assertThat(m.localPart()).isEqualTo("John.Doe");
        assertThat(m.domain()).isEqualTo("example.org");
    }

    @Test
    void nullPathOnlyWhereAllowed() throws Exception {
        assertThat(PathParser.parse("<>", true, false).mailbox()).isEmpty();
        assertThatThrownBy(() -> PathParser.parse("<>", false, false)).isInstanceOf(SyntaxException.class);
    }

    @Test
    void restAfterThePathIsReturnedForParameters() throws Exception {
        assertThat(PathParser.parse("<a@b.example> SIZE=10", false, false).rest()).isEqualTo(" SIZE=10");
    }

    @Test
    void sourceRouteIsReadAndDropped() throws Exception {
        // RFC 5321 4.1.1.3 and Appendix C: the route is ignored, the mailbox decides.
        assertThat(mailbox("<@relay.example,@other.example:user@final.example>").address()).isEqualTo("user@final.example");
    }

    @Test
    void quotedLocalPartIsKeptVerbatim() throws Exception {
        assertThat(mailbox("<\"john doe\\\"x\"@example.org>").localPart()).isEqualTo("\"john doe\\\"x\"");
    }

    @Test
    void addressLiterals() throws Exception {
        assertThat(mailbox("<user@[192.0.2.1]>").domain()).isEqualTo("[192.0.2.1]");
        assertThat(mailbox("<user@[IPv6:2001:db8::1]>").isAddressLiteral()).isTrue();
        assertThat(mailbox("<user@[IPv6:::ffff:192.0.2.1]>").domain()).isEqualTo("[ipv6:::ffff:192.0.2.1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "user@example.org",            // no brackets
        "<user@example.org",           // unterminated
        "<user>",                      // no domain
        "<user@>",                     // empty domain
        "<@example.org>",              // empty local part
        "<user@example.org.>",         // trailing dot in domain
        "<user.@example.org>",         // trailing dot in local part
        "<.user@example.org>",         // leading dot
        "<us..er@example.org>",        // double dot
        "<user@exa..mple.org>",        // empty label
        "<user@-example.org>",         // label starts with hyphen
        "<user@example-.org>",         // label ends with hyphen
        "<user@exa_mple.org>",         // underscore in domain
        "<user@example.org>>",         // stray bracket left for the parameter parser? no: see rest
        "<\"unterminated@example.org>",
        "<user@[300.1.1.1]>",          // bad IPv4 literal
        "<user@[1.2.3]>",
        "<user@[IPv6:2001:db8::1::2]>",
        "<user@[tag:stuff]>",          // general address literal
        "<user name@example.org>",     // space
        "<user@exa mple.org>",
        "<us(er@example.org>",         // special character
        "<@a.example:>",               // route without mailbox
    })
    void malformedPathsAreRefused(String path) {
        if (path.equals("<user@example.org>>")) {
            // The parser stops at the first '>'; the parameter parser refuses what follows.
            assertThatThrownBy(() -> EsmtpParameters.parse(PathParser.parse(path, false, false).rest()))
                    .isInstanceOf(SyntaxException.class);
            return;
        }
        assertThatThrownBy(() -> PathParser.parse(path, false, false)).isInstanceOf(SyntaxException.class);
    }

    @Test
    void overlongPartsAreRefused() {
        String longLocal = "a".repeat(65);
        assertThatThrownBy(() -> mailbox("<" + longLocal + "@example.org>")).hasMessageContaining("local part is longer");
        String longLabel = "b".repeat(64);
        assertThatThrownBy(() -> mailbox("<a@" + longLabel + ".org>")).hasMessageContaining("label is longer");
    }

    @Test
    void utf8NeedsSmtpUtf8() throws Exception {
        assertThatThrownBy(() -> PathParser.parse("<jörg@example.org>", false, false)).isInstanceOf(SyntaxException.class);
        Mailbox m = PathParser.parse("<jörg@bücher.example>", false, true).mailbox().orElseThrow();
        assertThat(m.needsSmtpUtf8()).isTrue();
        assertThat(m.domain()).isEqualTo("bücher.example");
    }

    @Test
    void percentAndBangAreJustLocalPartCharacters() throws Exception {
        // They route nowhere: the domain after '@' is the only destination the relay uses.
        assertThat(mailbox("<user%victim.example@example.org>").domain()).isEqualTo("example.org");
        assertThat(mailbox("<victim.example!user@example.org>").domain()).isEqualTo("example.org");
    }
}
