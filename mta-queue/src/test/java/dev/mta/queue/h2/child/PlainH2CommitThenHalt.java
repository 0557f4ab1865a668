package dev.mta.queue.h2.child;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Child process, the contrast: plain H2 with its default settings (WRITE_DELAY 500 ms).
 * Stores everything with CHECKPOINT (so the write delay starts counting now), then commits N
 * rows, each in its own autocommit transaction, and halts as soon as the last commit returns.
 * Arguments: database base path, N. Prints "elapsed-ms &lt;ms&gt;": the time from the
 * checkpoint to the halt, which must stay below the write delay for the result to mean anything.
 */
public final class PlainH2CommitThenHalt {
    public static void main(String[] args) throws Exception {
        try (Connection connection = DriverManager.getConnection("jdbc:h2:file:" + args[0], "sa", "");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS committed(n INT PRIMARY KEY)");
            statement.execute("CHECKPOINT");
            long start = System.nanoTime();
            int count = Integer.parseInt(args[1]);
            for (int i = 0; i < count; i++) {
                statement.executeUpdate("INSERT INTO committed VALUES (" + i + ")");
            }
            System.out.println("elapsed-ms " + (System.nanoTime() - start) / 1_000_000);
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }
}
