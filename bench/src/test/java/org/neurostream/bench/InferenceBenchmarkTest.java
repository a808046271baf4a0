package org.neurostream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceBenchmarkTest {
    private static Map<String, Object> timing(String model, int passes, long steady) {
        return Map.of("model", model, "passesPerPair", passes, "firstPassMs", steady * 2, "steadyPassMs", steady,
                "steadyCallMs", steady + 1);
    }

    private static Map<String, Object> report(long tissueOn, long tissueOff, boolean brainExtraction) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "scripts/neurostream bench inference");
        report.put("benchmark", "test");
        report.put("brainExtraction", brainExtraction);
        report.put("goalMsPerPair", InferenceBenchmark.GOAL_MILLIS_PER_PAIR);
        report.put("settings", Map.of(
                "oneDnnOn", Map.of("timings", List.of(timing("classifier", 1, 100), timing("tissue", 2, tissueOn)),
                        "peakRssMb", 1000),
                "oneDnnOff", Map.of("timings", List.of(timing("classifier", 1, 300), timing("tissue", 2, tissueOff)),
                        "peakRssMb", 900)));
        return report;
    }

    @Test
    void aPairNeedsTwoPassesOfAPerVolumeModelAndTheSumIsJudgedAgainstTheGoal() {
        assertEquals(8000, InferenceBenchmark.perPair(timing("tissue", 2, 4000)));
        String md = InferenceBenchmark.markdown(report(4000, 40_000, true));
        assertTrue(md.contains("| tissue | 2 | 8000 / 80000 | 4000 / 40000 | 4001 / 40001 | 8000 | 80000 | 10.0x |"),
                md);
        assertTrue(md.contains("**8100** | **80300**"), md);
        assertTrue(md.contains("With oneDNN: 8100 ms, met; without: 80300 ms, **missed**."), md);
        assertTrue(md.startsWith("# CPU inference per model\n\nProduced by `scripts/neurostream bench inference`"));
    }

    @Test
    void aModelTheChildWithoutOneDnnDidNotFinishMakesItsSumALowerBoundAndMissesTheGoal() {
        Map<String, Object> report = report(1000, 1000, true);
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = new LinkedHashMap<>((Map<String, Object>) report.get("settings"));
        settings.put("oneDnnOff", Map.of("timings", List.of(timing("classifier", 1, 300)), "peakRssMb", 900,
                "stoppedAfterMinutes", 20));
        report.put("settings", settings);
        String md = InferenceBenchmark.markdown(report);
        assertTrue(md.contains("| tissue | 2 | 2000 / - | 1000 / - | 1001 / - | 2000 | not finished | |"), md);
        assertTrue(md.contains("**2100** | **> 300**"), md);
        assertTrue(md.contains("time limit of 20 minutes: tissue without oneDNN"), md);
        assertTrue(md.contains("With oneDNN: 2100 ms, met; without: > 300 ms, **missed**."), md);
    }

    @Test
    void aModelThatRefusesToRunWithoutOneDnnIsSaidSoAndOnlyAFirstPassIsFlagged() {
        Map<String, Object> report = report(1000, 1000, true);
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = new LinkedHashMap<>((Map<String, Object>) report.get("settings"));
        Map<String, Object> firstOnly = new LinkedHashMap<>(timing("mindgrab", 2, 5000));
        firstOnly.put("steadyMeasured", false);
        settings.put("oneDnnOn", Map.of("timings", List.of(timing("classifier", 1, 100), firstOnly),
                "peakRssMb", 1000));
        settings.put("oneDnnOff", Map.of("timings", List.of(timing("classifier", 1, 300)), "peakRssMb", 900,
                "notRun", Map.of("mindgrab", "needs oneDNN")));
        report.put("settings", settings);
        String md = InferenceBenchmark.markdown(report);
        assertTrue(md.contains("| mindgrab | 2 | 10000 / - | 5000 / - | 5001 / - | 10000 | cannot run | |"), md);
        assertTrue(md.contains("Cannot run without oneDNN (they refuse rather than let TensorFlow abort the "
                + "process): mindgrab: needs oneDNN."), md);
        assertTrue(md.contains("Only the first pass finished"), md);
        assertTrue(md.contains("mindgrab (oneDNN on)"), md);
        assertTrue(md.contains("without: > 300 ms, **missed**"), md);
    }

    @Test
    void saysWhenBrainExtractionWasLeftOutOfTheSum() {
        String md = InferenceBenchmark.markdown(report(10_000, 10_000, false));
        assertTrue(md.contains("With oneDNN: 20100 ms, **missed**"), md);
        assertTrue(md.contains("brain extraction was not run"), md);
    }
}
