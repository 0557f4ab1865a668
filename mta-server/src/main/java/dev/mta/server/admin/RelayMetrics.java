package dev.mta.server.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The relay's one meter registry. Components register their meters on {@link #registry()};
 * the admin listener serves {@link #scrape()} at /metrics. Created with the JVM and system
 * meters (memory, GC, threads, classes, CPU, uptime) already bound.
 */
public final class RelayMetrics implements AutoCloseable {
    /** The Prometheus text exposition format 0.0.4, which {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    // Listens to the JVM's GC notifications until closed.
    private final JvmGcMetrics gcMetrics;

    private RelayMetrics(PrometheusMeterRegistry registry, JvmGcMetrics gcMetrics) {
        this.registry = registry;
        this.gcMetrics = gcMetrics;
    }

    public static RelayMetrics create() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return new RelayMetrics(registry, gcMetrics);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Every meter now, in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
