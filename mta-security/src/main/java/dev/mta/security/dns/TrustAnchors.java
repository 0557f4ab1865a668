package dev.mta.security.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * The keys validation starts from (RFC 4033 2, "trust anchor"): DS or DNSKEY records in zone-file
 * presentation format, one per line, {@code ;} starting a comment, e.g.
 * <pre>. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D</pre>
 * The shipped file (conf/trust-anchors.txt) holds the IANA root KSKs; a lab with a root of its own
 * puts that root's DS there instead. Read once at start; a change needs a restart.
 */
public final class TrustAnchors {
    private final String source;
    private final List<Record> records;

    private TrustAnchors(String source, List<Record> records) {
        this.source = source;
        this.records = List.copyOf(records);
    }

    /**
     * Reads the anchors in {@code file}.
     *
     * @throws IllegalArgumentException when the file cannot be read, holds a line that is no
     *                                  record, a record other than DS or DNSKEY, or no record at all;
     *                                  the message names the file (and the line where there is one)
     */
    public static TrustAnchors read(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("trust anchors file " + file + ": cannot read it: " + e, e);
        }
        return parse(text, file.toString());
    }

    /** As {@link #read(Path)}, from text; {@code source} names it in error messages. */
    public static TrustAnchors parse(String text, String source) {
        List<Record> records = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), Name.root, 0)) {
            for (Record record = master.nextRecord(); record != null; record = master.nextRecord()) {
                if (record.getType() != Type.DS && record.getType() != Type.DNSKEY) {
                    throw new IllegalArgumentException("trust anchors file " + source + ": only DS and DNSKEY records"
                            + " can be trust anchors, not " + Type.string(record.getType()) + ": " + record);
                }
                records.add(record);
            }
        } catch (IOException e) {
            // Master says "<none>:LINE: problem" of a stream; make it "line LINE: problem".
            String message = String.valueOf(e.getMessage()).replace("<none>:", "line ");
            throw new IllegalArgumentException("trust anchors file " + source + ": " + message, e);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("trust anchors file " + source + ": no DS or DNSKEY record in it");
        }
        return new TrustAnchors(source, records);
    }

    /** How many anchors there are. */
    public int size() {
        return records.size();
    }

    /** The anchors for printing: owner, type and key tag, e.g. {@code ". DS 20326"}. */
    public List<String> describe() {
        return records.stream().map(TrustAnchors::describe).toList();
    }

    void installInto(ValidatingResolver validator) {
        String text = records.stream().map(Record::toString).collect(Collectors.joining("\n", "", "\n"));
        try {
            validator.loadTrustAnchors(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new IllegalStateException("trust anchors from " + source + " parsed once but not twice", e);
        }
    }

    private static String describe(Record record) {
        int keyTag = record instanceof DSRecord ds ? ds.getFootprint() : ((DNSKEYRecord) record).getFootprint();
        return record.getName() + " " + Type.string(record.getType()) + " " + keyTag;
    }

    @Override
    public String toString() {
        return "trust anchors from " + source + " " + describe();
    }
}
