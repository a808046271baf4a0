package org.neurostream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where some threads spent their time, from a JFR recording: execution samples (on CPU, in Java) and native
 * method samples (blocked in a system call: file I/O, socket reads), each counted by its top frame and the first
 * frame of our own code that led there. That split shows whether a slow path burns CPU or waits.
 */
public final class JfrProfile {
    /** Samples per "top frame <- our frame", most first, for threads whose name starts with the prefix. */
    public static Map<String, Map<String, Integer>> topFrames(Path recording, String threadPrefix, String ourPackage,
            int limit) throws IOException {
        Map<String, Map<String, Integer>> byKind = new LinkedHashMap<>();
        byKind.put("onCpu", new TreeMap<>());
        byKind.put("inSystemCall", new TreeMap<>());
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            String kind = switch (event.getEventType().getName()) {
                case "jdk.ExecutionSample" -> "onCpu";
                case "jdk.NativeMethodSample" -> "inSystemCall";
                default -> null;
            };
            if (kind == null || event.getStackTrace() == null) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith(threadPrefix)) {
                continue;
            }
            byKind.get(kind).merge(describe(event.getStackTrace().getFrames(), ourPackage), 1, Integer::sum);
        }
        Map<String, Map<String, Integer>> top = new LinkedHashMap<>();
        byKind.forEach((kind, counts) -> top.put(kind, mostFirst(counts, limit)));
        return top;
    }

    /** "Class.method <- OurClass.method:line" (the top frame, and the first frame in our package below it). */
    static String describe(List<RecordedFrame> frames, String ourPackage) {
        if (frames.isEmpty()) {
            return "?";
        }
        String top = name(frames.get(0));
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith(ourPackage)) {
                return top + " <- " + name(f) + ":" + f.getLineNumber();
            }
        }
        return top;
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    static Map<String, Integer> mostFirst(Map<String, Integer> counts, int limit) {
        Map<String, Integer> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(limit)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private JfrProfile() {
    }
}
