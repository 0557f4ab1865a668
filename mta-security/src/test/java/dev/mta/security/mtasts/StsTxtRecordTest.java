package dev.mta.security.mtasts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RFC 8461 3.1: discovery through the _mta-sts TXT record. */
class StsTxtRecordTest {

    private static Optional<String> id(String... records) {
        return StsTxtRecord.discover(List.of(records)).map(StsTxtRecord::id);
    }

    @Test
    void oneValidRecordGivesItsId() {
        assertThat(id("v=STSv1; id=20160831085700Z")).contains("20160831085700Z");
    }

    @Test
    void whitespaceAroundSemicolonsAndATrailingSemicolonAreAllowed() {
        assertThat(id("v=STSv1 ;id=abc123 ;\t")).contains("abc123");
        assertThat(id("v=STSv1;id=abc123;")).contains("abc123");
    }

    @Test
    void unrelatedTxtRecordsAreDiscarded() {
        assertThat(id("v=spf1 -all", "v=STSv1; id=1", "google-site-verification=xyz")).contains("1");
    }

    @Test
    void twoStsRecordsMeanNoPolicy() {
        assertThat(id("v=STSv1; id=1", "v=STSv1; id=2")).isEmpty();
    }

    @Test
    void twoStsRecordsOneInvalidStillMeanNoPolicy() {
        assertThat(id("v=STSv1; id=1", "v=STSv1; id=not valid!")).isEmpty();
    }

    @Test
    void noRecordsMeanNoPolicy() {
        assertThat(id()).isEmpty();
    }

    @Test
    void versionMustComeFirst() {
        assertThat(id("id=1; v=STSv1")).isEmpty();
    }

    @Test
    void versionIsCaseSensitive() {
        assertThat(id("v=stsv1; id=1")).isEmpty();
    }

    @Test
    void missingIdMeansNoPolicy() {
        assertThat(id("v=STSv1;")).isEmpty();
        assertThat(id("v=STSv1; ext=1")).isEmpty();
    }

    @Test
    void idLongerThan32CharactersIsInvalid() {
        assertThat(id("v=STSv1; id=" + "a".repeat(32))).contains("a".repeat(32));
        assertThat(id("v=STSv1; id=" + "a".repeat(33))).isEmpty();
    }

    @Test
    void idWithPunctuationIsInvalid() {
        assertThat(id("v=STSv1; id=2016-08-31")).isEmpty();
        assertThat(id("v=STSv1; id=")).isEmpty();
    }

    @Test
    void twoIdsAreInvalid() {
        assertThat(id("v=STSv1; id=1; id=2")).isEmpty();
    }

    @Test
    void extensionFieldsAreIgnored() {
        assertThat(id("v=STSv1; id=7; foo_bar=baz:1")).contains("7");
    }

    @Test
    void malformedFieldsMakeTheRecordInvalid() {
        assertThat(id("v=STSv1; id=7; junk")).isEmpty();
        assertThat(id("v=STSv1; id=7;; ")).isEmpty();
    }

    @Test
    void recordNotFollowedBySemicolonIsNotAnStsRecord() {
        assertThat(id("v=STSv10; id=1")).isEmpty();
    }
}
