package org.neurostream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void percentilesInterpolateBetweenClosestRanksWhateverTheInputOrder() {
        List<Long> samples = List.of(40L, 10L, 30L, 20L);
        assertEquals(10, Stats.percentile(samples, 0));
        assertEquals(25, Stats.percentile(samples, 50)); // even count: mean of the middle two
        assertEquals(38.5, Stats.percentile(samples, 95), 1e-9); // rank 2.85 between 30 and 40
        assertEquals(40, Stats.percentile(samples, 100));
        assertEquals(7, Stats.percentile(List.of(7), 95)); // one sample is every percentile
    }

    @Test
    void noSamplesGiveNaNAndAPercentileOutOfRangeIsRefused() {
        assertTrue(Double.isNaN(Stats.percentile(List.<Long>of(), 50)));
        assertTrue(Double.isNaN(Stats.mean(List.<Long>of())));
        assertTrue(Double.isNaN(Stats.max(List.<Long>of())));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1), 101));
        assertThrows(IllegalArgumentException.class, () -> Stats.percentile(List.of(1), -1));
    }

    @Test
    void ratePerHourAndRounding() {
        assertEquals(60, Stats.perHour(50, 3_000_000)); // 50 in 50 minutes
        assertTrue(Double.isNaN(Stats.perHour(3, 0)));
        assertEquals(1.24, Stats.round(1.2449, 2));
        assertTrue(Double.isNaN(Stats.round(Double.NaN, 1)));
    }

    @Test
    void meansByKeyAreOverTheSamplesHavingTheKeyAndSlowestFirst() {
        Map<String, Double> means = Stats.meansByKeySlowestFirst(List.of(
                Map.of("registration", 4000L, "tissue", 20000L),
                Map.of("registration", 6000L, "tissue", 30000L, "inference", 300L)));
        assertEquals(List.of("tissue", "registration", "inference"), List.copyOf(means.keySet()));
        assertEquals(25000, means.get("tissue"));
        assertEquals(300, means.get("inference")); // one sample only, not averaged with a missing zero
    }
}
