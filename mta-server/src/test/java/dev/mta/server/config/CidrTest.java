package dev.mta.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void matchesAddressesInsideTheNetworkOnly() throws Exception {
        Cidr net = Cidr.parse("192.0.2.0/24");
        assertThat(net.contains(InetAddress.getByName("192.0.2.77"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("192.0.3.1"))).isFalse();
        assertThat(net.contains(InetAddress.getByName("2001:db8::1"))).isFalse();
    }

    @Test
    void ipv4MappedIpv6ClientMatchesIpv4Network() throws Exception {
        assertThat(Cidr.parse("127.0.0.0/8").contains(InetAddress.getByName("::ffff:127.0.0.1"))).isTrue();
    }

    @Test
    void ipv6Networks() throws Exception {
        Cidr net = Cidr.parse("2001:db8:1::/48");
        assertThat(net.contains(InetAddress.getByName("2001:db8:1:ffff::5"))).isTrue();
        assertThat(net.contains(InetAddress.getByName("2001:db8:2::5"))).isFalse();
    }

    @Test
    void hostNamesAreNotNetworks() {
        assertThatThrownBy(() -> Cidr.parse("localhost/8")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("bad prefix length");
    }
}
