package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo, run as an operator runs it (its own JVM, our packages logging at DEBUG, stricter than production),
 * must not write a patient's name, id or accession number to any log line, nor expose one on any service's
 * /metrics or on the status page. The needles are read with DCMTK's dcmdump from the very files the demo sent,
 * so the scan looks for what the services really saw.
 */
class NoPatientDataInLogsTest {
    private static final Pattern METRICS_LINE = Pattern.compile("metrics: \\[(.*?)]");
    private static final Pattern STATUS_LINE = Pattern.compile("status page: (\\S+);");

    @TempDir
    Path dir;

    @Test
    void noPatientNameIdOrAccessionNumberInAnyLogLineOrMetric() throws Exception {
        Path log = dir.resolve("demo.log");
        Path work = dir.resolve("work");
        List<String> demo = List.of("demo", "--work-dir", work.toString(), "--out", dir.resolve("sr").toString(),
                "--model", Repo.modelDir().toString(), "--pairs", "2", "--singles", "1", "--keep-running",
                // The small synthetic head keeps this test under a minute; the services, their log lines and the
                // DICOM headers they read are the same as on Colin27.
                "--anatomy", "SYNTHETIC");
        Map<String, String> texts = new LinkedHashMap<>();
        try (CliProcess process = CliProcess.start(demo, log, Map.of(),
                "-Dorg.slf4j.simpleLogger.log.org.neurostream=debug")) {
            process.awaitLine("services and PACS keep running", Duration.ofMinutes(5));
            String output = process.output();
            HttpClient http = HttpClient.newHttpClient();
            for (String url : urls(output)) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(url).isEqualTo(200);
                texts.put(url, response.body());
            }
        }
        texts.put("every log line of the demo", Files.readString(log));

        Set<String> needles = patientIdentifiers(work.resolve("cohort"));
        // The scan must have something to find and somewhere to look, or zero hits would prove nothing.
        assertThat(needles).as("names, ids, accession numbers read from the sent files").hasSizeGreaterThanOrEqualTo(6);
        assertThat(texts).hasSize(5); // three /metrics, the status page, the log
        assertThat(texts.get("every log line of the demo")).contains("published SeriesReceived", "P(decline)");
        List<String> hits = new ArrayList<>();
        texts.forEach((where, text) -> needles.stream().filter(text::contains)
                .forEach(needle -> hits.add(needle + " in " + where)));
        assertThat(hits).as("patient data in logs, metrics or the status page").isEmpty();
    }

    /** The three /metrics endpoints and the status page, as the demo logs them. */
    private static List<String> urls(String output) {
        List<String> urls = new ArrayList<>();
        Matcher metrics = METRICS_LINE.matcher(output);
        assertThat(metrics.find()).as("the demo logs its /metrics URLs").isTrue();
        for (String url : metrics.group(1).split(",")) {
            urls.add(url.strip());
        }
        Matcher status = STATUS_LINE.matcher(output);
        assertThat(status.find()).as("the demo logs its status page").isTrue();
        urls.add(status.group(1));
        assertThat(urls).hasSize(4);
        return urls;
    }

    /** PatientName (whole and each component), PatientID and AccessionNumber of every series folder. */
    private static Set<String> patientIdentifiers(Path cohort) throws Exception {
        Path dcmdump = Tools.require("dcmdump", "dcmtk");
        Set<String> needles = new LinkedHashSet<>();
        List<Path> firstFiles;
        try (Stream<Path> files = Files.walk(cohort)) {
            firstFiles = files.filter(f -> f.toString().endsWith(".dcm"))
                    .collect(java.util.stream.Collectors.toMap(Path::getParent, f -> f, (a, b) -> a)).values()
                    .stream().toList();
        }
        assertThat(firstFiles).isNotEmpty();
        Pattern value = Pattern.compile("\\((0010,0010|0010,0020|0008,0050)\\) \\w\\w \\[([^\\]]*)]");
        for (Path file : firstFiles) {
            Tools.Result dump = Tools.run(List.of(dcmdump.toString(), "+P", "0010,0010", "+P", "0010,0020", "+P",
                    "0008,0050", file.toString()), null, 30);
            assertThat(dump.exitCode()).as(dump.output()).isZero();
            Matcher m = value.matcher(dump.output());
            while (m.find()) {
                String v = m.group(2).strip();
                if (v.isEmpty()) {
                    continue;
                }
                needles.add(v);
                if (m.group(1).equals("0010,0010")) {
                    for (String component : v.split("\\^")) {
                        if (component.length() >= 4) {
                            needles.add(component);
                        }
                    }
                }
            }
        }
        return needles;
    }
}
