package dev.mta.queue.h2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mta.queue.h2.child.CommitWithMarkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Watches the system calls of a committing process. Between the start of each commit and its
 * return, in this order: fsync of the body file, its rename into bodies/, fsync of bodies/, the
 * write of the rows into the H2 file, and an fsync of the H2 file after that write. A halt
 * (DurabilityTest) cannot tell written from synced; this can. Needs strace (Debian package
 * "strace", installed by ./test); skipped, with that reason, only where it is not installed and
 * the run is not ./test's, which sets {@code mta.test.tools-required} so CI cannot skip it.
 */
class SyncSyscallTest {
    private static final Pattern MARK = Pattern.compile("openat\\(.*/markers/(begin|end)-(\\d+)\"");
    private static final Pattern EVENT = Pattern.compile("\\b(fsync|fdatasync|pwrite64)\\(\\d+<([^>]*)>|\\brename\\(\"[^\"]*\", \"([^\"]*)\"");

    @TempDir
    Path temporary;

    @Test
    void eachCommitSyncsBodyDirectoryAndDatabaseInOrderBeforeReturning() throws Exception {
        Path strace = Path.of("/usr/bin/strace");
        boolean toolsRequired = Boolean.getBoolean("mta.test.tools-required");
        if (toolsRequired) {
            assertThat(strace).as("./test installs strace (packaging/test-tools.sh)").isExecutable();
        }
        assumeTrue(Files.isExecutable(strace), "strace is not installed (apt-get install strace)");
        Path data = temporary.resolve("data");
        Path markers = Files.createDirectories(temporary.resolve("markers"));
        Path trace = temporary.resolve("trace.txt");

        ChildJvm.Result child = new ChildJvm()
                .under(strace.toString(), "-f", "-qq", "-y", "-o", trace.toString(),
                        "-e", "trace=openat,fsync,fdatasync,rename,pwrite64")
                .run(CommitWithMarkers.class, data, markers, 3);

        assertThat(child.exitCode()).as(child.output()).isZero();
        List<String> ids = child.tagged("committed ");
        assertThat(ids).hasSize(3);
        Path queue = data.toRealPath().resolve("queue");
        String database = queue.resolve("queue.mv.db").toString();
        for (int i = 0; i < ids.size(); i++) {
            String body = queue.resolve("incoming").resolve(ids.get(i)).toString();
            List<String> events = eventsOfCommit(Files.readAllLines(trace), i);

            assertThat(events).as("system calls of commit " + i).containsSubsequence(
                    "fsync " + body,
                    "rename " + queue.resolve("bodies").resolve(ids.get(i)),
                    "fsync " + queue.resolve("bodies"),
                    "pwrite64 " + database,
                    "fsync " + database);
            assertThat(events.lastIndexOf("fsync " + database))
                    .as("the database is synced after its last write").isGreaterThan(events.lastIndexOf("pwrite64 " + database));
        }
    }

    /** The file system calls between the begin and end marks of one commit, as "call path". */
    private static List<String> eventsOfCommit(List<String> trace, int commit) {
        List<String> events = new ArrayList<>();
        boolean inside = false;
        for (String line : trace) {
            Matcher mark = MARK.matcher(line);
            if (mark.find() && Integer.parseInt(mark.group(2)) == commit) {
                if (mark.group(1).equals("end")) {
                    return events;
                }
                inside = true;
            }
            Matcher event = EVENT.matcher(line);
            if (inside && event.find()) {
                events.add(event.group(1) != null ? event.group(1).replace("fdatasync", "fsync") + " " + event.group(2)
                        : "rename " + event.group(3));
            }
        }
        throw new AssertionError("no end mark for commit " + commit + " in the trace");
    }
}
