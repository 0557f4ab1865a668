package dev.mta.server.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code mta} command run in-process against the shipped configuration with -o overrides,
 * as the tests' relays are configured.
 */
record CliRun(int code, String out, String err) {

    static CliRun mta(List<String> overrides, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-c", "../conf/mta.conf"));
        for (String override : overrides) {
            all.add("-o");
            all.add(override);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }
}
