package org.neurostream.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JfrProfileTest {
    @Test
    void keepsTheMostSampledFramesUpToTheLimit() {
        Map<String, Integer> counts = new TreeMap<>(Map.of("a", 1, "b", 7, "c", 3, "d", 5));
        Map<String, Integer> top = JfrProfile.mostFirst(counts, 3);
        assertEquals(List.of("b", "d", "c"), List.copyOf(top.keySet()));
        assertEquals(7, top.get("b"));
        assertEquals(Map.of(), JfrProfile.mostFirst(new TreeMap<>(), 3));
    }

    @Test
    void aStackWithoutFramesIsUnknown() {
        assertEquals("?", JfrProfile.describe(List.of(), "org.neurostream"));
    }
}
