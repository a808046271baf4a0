package org.neurostream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LoadAverageTest {
    @Test
    void readsTheThreeAveragesOfAProcLoadavgLine() {
        LoadAverage load = LoadAverage.parse("4.28 1.87 1.42 3/812 11350\n");
        assertEquals(4.28, load.oneMinute());
        assertEquals(1.87, load.fiveMinutes());
        assertEquals(1.42, load.fifteenMinutes());
        assertEquals(1.42, load.asMap().get("15min"));
    }

    @Test
    void busyMeansMoreThanTheBenchmarksOwnThreadsWithSomeSlack() {
        LoadAverage load = LoadAverage.parse("2.4 1 1 1/1 1");
        assertFalse(load.busierThan(2));
        assertTrue(load.busierThan(1));
        assertTrue(LoadAverage.parse("0.6 0 0 1/1 1").busierThan(0));
    }

    @Test
    void refusesWhatIsNotALoadavgLine() {
        assertThrows(IllegalArgumentException.class, () -> LoadAverage.parse("0.5 0.4"));
        assertThrows(NumberFormatException.class, () -> LoadAverage.parse("a b c"));
    }
}
