package org.neurostream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static final String METRICS = """
            # HELP neurostream_processor_step_seconds
            # TYPE neurostream_processor_step_seconds summary
            neurostream_processor_step_seconds_count{step="registration",} 2.0
            neurostream_processor_step_seconds_sum{step="registration",} 9.0
            neurostream_processor_step_seconds_count{step="tissue-prior",} 4.0
            neurostream_processor_step_seconds_sum{step="tissue-prior",} 80.5
            neurostream_processor_step_seconds_max{step="tissue-prior",} 30.0
            neurostream_inference_seconds_count{device="cpu",model="tissue",} 1.0
            neurostream_inference_seconds_sum{device="cpu",model="tissue",} 20.0
            neurostream_inference_seconds_count{device="gpu",model="tissue",} 3.0
            neurostream_inference_seconds_sum{device="gpu",model="tissue",} 4.0
            neurostream_inference_seconds_count{device="cpu",} 9.0
            neurostream_processor_step_seconds_count 7.0
            """;

    @Test
    void readsCountAndSumPerLabelValueAndIgnoresOtherSeries() {
        Map<String, PrometheusText.Timer> steps = PrometheusText.timers(METRICS,
                "neurostream_processor_step_seconds", "step");
        assertEquals(List.of("registration", "tissue-prior"), List.copyOf(steps.keySet()));
        assertEquals(new PrometheusText.Timer(2, 9.0), steps.get("registration"));
        assertEquals(20.125, steps.get("tissue-prior").meanSeconds(), 1e-9); // _max is not the sum
    }

    @Test
    void seriesDifferingInOtherLabelsAddUpAndThoseWithoutTheLabelAreSkipped() {
        Map<String, PrometheusText.Timer> models = PrometheusText.timers(METRICS, "neurostream_inference_seconds",
                "model");
        assertEquals(Map.of("tissue", new PrometheusText.Timer(4, 24.0)), models);
    }

    @Test
    void anAbsentTimerGivesNothingAndACountOfZeroHasNoMean() {
        assertTrue(PrometheusText.timers(METRICS, "no_such_timer", "step").isEmpty());
        assertTrue(Double.isNaN(new PrometheusText.Timer(0, 0).meanSeconds()));
    }
}
