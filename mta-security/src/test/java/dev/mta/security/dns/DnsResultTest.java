package dev.mta.security.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DnsResultTest {

    @Test
    void foundNeedsRecordsBecauseAnEmptyAnswerIsNoData() {
        assertThatThrownBy(() -> new DnsResult.Found<MxRecord>(List.of(), DnsSecurity.INSECURE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void foundKeepsACopyOfTheRecords() {
        List<String> records = new ArrayList<>(List.of("a"));
        DnsResult.Found<String> found = new DnsResult.Found<>(records, DnsSecurity.SECURE);
        records.add("b");

        assertThat(found.records()).containsExactly("a");
    }

    @Test
    void canonicalNameIsLowerCaseWithoutTheTrailingDot() {
        DnsResult.Found<String> found = new DnsResult.Found<>(List.of("a"), DnsSecurity.SECURE, Optional.of("Host.Example.NET."));

        assertThat(found.canonicalName()).contains("host.example.net");
        assertThat(new DnsResult.Found<>(List.of("a"), DnsSecurity.SECURE).canonicalName()).isEmpty();
    }

    @Test
    void failedNeedsAReason() {
        assertThatThrownBy(() -> new DnsResult.Failed<String>(" ", DnsSecurity.INDETERMINATE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
