package dev.mta.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An IPv4 or IPv6 network in CIDR notation, as used for the networks allowed to relay. */
public record Cidr(byte[] network, int prefixLength, String text) {

    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String addressPart = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!looksLikeIpLiteral(addressPart)) {
            throw new IllegalArgumentException("not an IP address: '" + addressPart + "'");
        }
        byte[] address;
        try {
            // An IP literal never triggers a DNS lookup.
            address = InetAddress.getByName(addressPart).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + addressPart + "'");
        }
        int maxBits = address.length * 8;
        int prefix = maxBits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + trimmed + "'");
            }
            if (prefix < 0 || prefix > maxBits) {
                throw new IllegalArgumentException("prefix length must be 0.." + maxBits + " in '" + trimmed + "'");
            }
        }
        return new Cidr(mask(address, prefix), prefix, trimmed);
    }

    public boolean contains(InetAddress candidate) {
        byte[] bytes = candidate.getAddress();
        if (bytes.length != network.length) {
            byte[] mapped = unmapIpv4(bytes);
            if (mapped == null || mapped.length != network.length) {
                return false;
            }
            bytes = mapped;
        }
        return Arrays.equals(mask(bytes, prefixLength), network);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    private static boolean looksLikeIpLiteral(String s) {
        return !s.isEmpty() && (s.indexOf(':') >= 0 || s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')));
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is matched against IPv4 networks. */
    private static byte[] unmapIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return null;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return null;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return null;
        }
        return Arrays.copyOfRange(bytes, 12, 16);
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsInByte = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff << (8 - bitsInByte)));
        }
        return out;
    }
}
