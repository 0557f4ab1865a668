package dev.mta.server;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading the relay's Prometheus text in tests. */
public final class Scrapes {
    private Scrapes() {
    }

    /** The value of one series, written exactly as in the scrape: {@code name{label="v",...}}. */
    public static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        if (!m.find()) {
            throw new AssertionError("no " + series + " in\n" + scrape);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Scrapes until {@code ready} holds (meters settle a moment after the traffic), or 10 s have passed. */
    public static String when(TestRelay relay, Predicate<String> ready) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String scrape = relay.metrics().scrape();
        while (!ready.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            scrape = relay.metrics().scrape();
        }
        return scrape;
    }
}
