package dev.mta.server.smtp;

import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.reactivestreams.Publisher;

/**
 * James' handlers time each command through its own metrics API. The relay does not export
 * those: its metrics are recorded where it makes decisions. This factory gives James
 * measurements that cost nothing and go nowhere.
 */
final class UnusedJamesMetrics implements MetricFactory {
    private static final Metric METRIC = new Metric() {
        @Override
        public void increment() {
        }

        @Override
        public void decrement() {
        }

        @Override
        public void add(int value) {
        }

        @Override
        public void remove(int value) {
        }

        @Override
        public long getCount() {
            return 0;
        }
    };

    private static final TimeMetric.ExecutionResult NOTHING_MEASURED = new TimeMetric.ExecutionResult() {
        @Override
        public java.time.Duration elasped() {
            return java.time.Duration.ZERO;
        }

        @Override
        public TimeMetric.ExecutionResult logWhenExceedP99(java.time.Duration threshold) {
            return this;
        }
    };

    @Override
    public Metric generate(String name) {
        return METRIC;
    }

    @Override
    public TimeMetric timer(String name) {
        return new TimeMetric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ExecutionResult stopAndPublish() {
                return NOTHING_MEASURED;
            }
        };
    }

    @Override
    public <T> Publisher<T> decoratePublisherWithTimerMetric(String name, Publisher<T> publisher) {
        return publisher;
    }

    @Override
    public <T> Publisher<T> decoratePublisherWithTimerMetricLogP99(String name, Publisher<T> publisher) {
        return publisher;
    }
}
