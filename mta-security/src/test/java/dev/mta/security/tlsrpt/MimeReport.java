package dev.mta.security.tlsrpt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a report receiver does with a mailed report, by hand (no MIME library on this module's
 * test path): unfold the header, split the multipart body at its boundary, decode the parts.
 */
record MimeReport(Map<String, String> headers, List<Part> parts) {

    record Part(Map<String, String> headers, String body) {
        byte[] decodedBody() {
            return Base64.getMimeDecoder().decode(body);
        }
    }

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    static MimeReport parse(byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII);
        int split = text.indexOf("\r\n\r\n");
        Map<String, String> headers = headers(text.substring(0, split));
        String body = text.substring(split + 4);
        Matcher boundary = BOUNDARY.matcher(headers.get("content-type"));
        if (!boundary.find()) {
            throw new AssertionError("no boundary in " + headers.get("content-type"));
        }
        String delimiter = "\r\n--" + boundary.group(1);
        String[] pieces = ("\r\n" + body).split(Pattern.quote(delimiter), -1);
        List<Part> parts = new ArrayList<>();
        // pieces[0] is the preamble; the last piece starts with "--" (the close delimiter)
        for (int i = 1; i < pieces.length - 1; i++) {
            String piece = pieces[i].substring(2); // the CRLF after the delimiter
            int end = piece.indexOf("\r\n\r\n");
            parts.add(new Part(headers(piece.substring(0, end)), piece.substring(end + 4)));
        }
        if (!pieces[pieces.length - 1].startsWith("--")) {
            throw new AssertionError("no close delimiter");
        }
        return new MimeReport(headers, parts);
    }

    private static Map<String, String> headers(String block) {
        Map<String, String> headers = new LinkedHashMap<>();
        // RFC 5322 2.2.3: unfold by removing each CRLF that precedes white space
        for (String line : block.replaceAll("\r\n(?=[ \t])", "").split("\r\n")) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }
}
