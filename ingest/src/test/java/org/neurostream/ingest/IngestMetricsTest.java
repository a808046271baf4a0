package org.neurostream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IngestMetricsTest {
    @Test
    void countsBytesAndRecordsHowLongEachSeriesTookToComplete() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        IngestMetrics metrics = new IngestMetrics(registry);
        metrics.instanceStored(1_000);
        metrics.instanceStored(500);
        metrics.seriesEmitted(12_000);

        assertThat(metrics.storedCount()).isEqualTo(2);
        assertThat(metrics.bytesReceived()).isEqualTo(1_500);
        assertThat(metrics.seriesEmittedCount()).isEqualTo(1);
        Timer delay = registry.find(IngestMetrics.COMPLETION_DELAY).timer();
        assertThat(delay.count()).isEqualTo(1);
        assertThat(delay.totalTime(TimeUnit.SECONDS)).isEqualTo(12.0);
        assertThat(registry.find(IngestMetrics.BYTES_RECEIVED).counter().getId().getBaseUnit()).isEqualTo("bytes");
    }
}
