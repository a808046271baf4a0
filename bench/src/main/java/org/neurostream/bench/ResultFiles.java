package org.neurostream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one benchmark's figures as {@code <name>.json} and {@code <name>.md}, both starting with the exact command,
 * the machine and the load average before and after (other work on a shared machine shows there).
 */
public final class ResultFiles {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The common head of every result: what was run, where, when, and how busy the machine was. */
    public static Map<String, Object> header(String benchmark, String command, LoadAverage loadBefore) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", benchmark);
        report.put("command", command);
        report.put("startedAt", Instant.now().toString());
        report.put("machine", MachineDescription.describe());
        report.put("loadBefore", loadBefore == null ? null : loadBefore.asMap());
        return report;
    }

    /** Markdown lines for the header: command, machine, load before and after. */
    public static String markdownHeader(String title, Map<String, Object> report) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        md.append("Produced by `").append(report.get("command")).append("` (started ")
                .append(report.get("startedAt")).append(").\n\n");
        md.append("Machine: ").append(report.get("machine")).append(".\n\n");
        md.append("Load average (1/5/15 min) before: ").append(report.get("loadBefore")).append("; after: ")
                .append(report.get("loadAfter")).append(".");
        Object note = report.get("otherWork");
        if (note != null) {
            md.append(" ").append(note);
        }
        return md.append("\n\n").toString();
    }

    public static void write(Path dir, String name, Map<String, Object> report, String markdown) throws IOException {
        Files.createDirectories(dir);
        JSON.writeValue(dir.resolve(name + ".json").toFile(), report);
        Files.writeString(dir.resolve(name + ".md"), markdown);
    }

    private ResultFiles() {
    }
}
