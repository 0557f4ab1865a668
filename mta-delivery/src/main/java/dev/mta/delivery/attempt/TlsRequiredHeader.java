package dev.mta.delivery.attempt;

import dev.mta.delivery.smtpclient.BodySource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * RFC 8689 5: a message whose header says {@code TLS-Required: No} asks that recipient-domain TLS
 * policies (DANE, MTA-STS) not stop its delivery, e.g. a TLS-RPT report about a broken TLS setup
 * (RFC 8460 5.3). Only the header section is read, and at most 64 KiB of it.
 */
final class TlsRequiredHeader {
    private static final int LIMIT = 64 * 1024;

    private TlsRequiredHeader() {
    }

    static boolean saysNo(BodySource body) {
        String header;
        try (InputStream in = body.open()) {
            header = headerSection(in);
        } catch (IOException e) {
            return false; // unreadable: the policies stay in force
        }
        // Unfold (RFC 5322 2.2.3), then look for the field by name, case-insensitively.
        for (String field : header.replaceAll("\r\n[ \t]+", " ").split("\r\n")) {
            int colon = field.indexOf(':');
            if (colon > 0 && field.substring(0, colon).strip().equalsIgnoreCase("TLS-Required")) {
                return field.substring(colon + 1).strip().toLowerCase(Locale.ROOT).equals("no");
            }
        }
        return false;
    }

    private static String headerSection(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous3 = -1;
        int previous2 = -1;
        int previous1 = -1;
        int b;
        while (out.size() < LIMIT && (b = in.read()) >= 0) {
            out.write(b);
            if (previous3 == '\r' && previous2 == '\n' && previous1 == '\r' && b == '\n') {
                break;
            }
            previous3 = previous2;
            previous2 = previous1;
            previous1 = b;
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
