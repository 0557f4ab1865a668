import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a flight recording five ways: by the
 * library on top of the stack, by the top frame, by the relay's own frame nearest the top (which
 * relay code the time is spent for), by relay method anywhere on the stack (inclusive time), and
 * by thread. Run as a single source file:
 * {@code java bench/JfrTop.java relay.jfr [rows]}.
 */
public final class JfrTop {

    private static final String RELAY_PACKAGE = "dev.mta.";

    public static void main(String[] args) throws Exception {
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byTopFrame = new HashMap<>();
        Map<String, Integer> byRelayFrame = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byRelayMethodInclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = stack.getFrames();
            String top = name(frames.get(0));
            byTopFrame.merge(top, 1, Integer::sum);
            byLibrary.merge(library(top), 1, Integer::sum);
            String relay = frames.stream().map(JfrTop::name).filter(f -> f.startsWith(RELAY_PACKAGE))
                    .findFirst().orElse("(no relay frame: " + library(name(frames.get(frames.size() - 1))) + " thread)");
            byRelayFrame.merge(relay, 1, Integer::sum);
            frames.stream().map(JfrTop::name).filter(f -> f.startsWith(RELAY_PACKAGE)).distinct()
                    .forEach(f -> byRelayMethodInclusive.merge(f, 1, Integer::sum));
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            byThread.merge(thread == null ? "?" : thread.replaceAll("\\d+", "N"), 1, Integer::sum);
        }
        System.out.println(samples + " CPU samples");
        print("by library on top of the stack", byLibrary, samples, rows);
        print("by top frame", byTopFrame, samples, rows);
        print("by the relay's frame nearest the top", byRelayFrame, samples, rows);
        print("by relay method anywhere on the stack (inclusive)", byRelayMethodInclusive, samples, rows * 2);
        print("by thread", byThread, samples, rows);
    }

    private static String name(RecordedFrame frame) {
        return (frame.getMethod().getType().getName() + "." + frame.getMethod().getName()).replaceAll("\\$\\$Lambda[./]0x[0-9a-f]+", "\\$\\$Lambda");
    }

    /** The first two or three parts of a class name: org.h2, io.netty, java.util, dev.mta.queue. */
    private static String library(String frame) {
        String[] parts = frame.split("\\.");
        int keep = parts[0].equals("dev") || parts[0].equals("java") || parts[0].equals("jdk")
                || parts[0].equals("sun") || parts[0].equals("io") ? 3 : 2;
        keep = Math.min(keep, parts.length - 2);
        return String.join(".", java.util.Arrays.copyOf(parts, Math.max(keep, 1)));
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int rows) {
        System.out.println(title + ":");
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(rows)
                .forEach(e -> System.out.printf("  %6d %5.1f%%  %s%n", e.getValue(), 100.0 * e.getValue() / samples, e.getKey()));
    }
}
