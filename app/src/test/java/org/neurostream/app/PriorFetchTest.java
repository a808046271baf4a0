package org.neurostream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.broker.EmbeddedKafkaBroker;
import org.neurostream.config.Settings;
import org.neurostream.ingest.IngestConfig;
import org.neurostream.ingest.IngestService;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomCohort.Series;
import org.neurostream.phantom.PhantomCohort.Visit;
import org.neurostream.processor.ProcessorConfig;
import org.neurostream.processor.ProcessorService;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.kafka.Topics;

/**
 * Prior fetch against a real Orthanc: a follow-up arrives at ingest while its prior exists only in the PACS. The
 * processor finds the prior by C-FIND, has Orthanc C-MOVE it to our ingest SCP, and pairs the follow-up with it
 * when it arrives. A second patient whose prior is nowhere ends with "no prior" and the PACS's answer, without
 * waiting for the timeout.
 */
class PriorFetchTest {
    private static final String INGEST_AE = "NEUROSTREAM";
    private static final String QR_AE = "NEUROSTREAM_QR";

    @TempDir
    Path dir;

    @Test
    void aFollowUpWhosePriorIsOnlyInThePacsIsPairedWithTheRetrievedPrior() throws Exception {
        List<Series> cohort = new PhantomCohort(53).write(dir.resolve("cohort"), 2, 0);
        Series priorOnlyInPacs = find(cohort, 1, Visit.BASELINE);
        Series followUp = find(cohort, 1, Visit.FOLLOW_UP);
        Series orphanFollowUp = find(cohort, 2, Visit.FOLLOW_UP);

        try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dir.resolve("kafka"), false).start()) {
            broker.createTopics(Topics.all(), 2);
            Properties file = new Properties();
            file.setProperty("kafka.bootstrap.servers", broker.bootstrapServers());
            file.setProperty("blobstore.root", dir.resolve("blobs").toString());
            file.setProperty("patient.key.salt", "prior-fetch-test");
            file.setProperty("ingest.ae.title", INGEST_AE);
            file.setProperty("ingest.port", "0");
            file.setProperty("ingest.quiet.period.ms", "1500");
            try (IngestService ingest = new IngestService(IngestConfig.from(new Settings(file, Map.of())))) {
                ingest.start();
                // The PACS knows our query AE and our ingest SCP as a move destination, as a site would set it up.
                try (LocalOrthanc orthanc = LocalOrthanc.builder(dir.resolve("orthanc")).aet("PACS")
                        .modality(new LocalOrthanc.Modality("neurostream-qr", QR_AE, "127.0.0.1",
                                LocalOrthanc.freePort()))
                        .modality(new LocalOrthanc.Modality("neurostream", INGEST_AE, "127.0.0.1", ingest.port()))
                        .start()) {
                    try (Stream<Path> files = Files.list(priorOnlyInPacs.folder())) {
                        for (Path f : files.sorted().toList()) {
                            orthanc.upload(f);
                        }
                    }
                    file.setProperty("processor.state-dir", dir.resolve("state").toString());
                    file.setProperty("processor.model-dir", Repo.modelDir().toString());
                    file.setProperty("processor.brain-extraction-model-dir", "");
                    file.setProperty("processor.prior-fetch.enabled", "true");
                    file.setProperty("processor.prior-fetch.pacs-host", "127.0.0.1");
                    file.setProperty("processor.prior-fetch.pacs-port", String.valueOf(orthanc.dicomPort()));
                    file.setProperty("processor.prior-fetch.pacs-ae", orthanc.aet());
                    file.setProperty("processor.prior-fetch.calling-ae", QR_AE);
                    file.setProperty("processor.prior-fetch.move-destination", INGEST_AE);
                    file.setProperty("processor.prior-fetch.timeout-seconds", "120");
                    try (ProcessorService processor = ProcessorService.create(
                            ProcessorConfig.from(new Settings(file, Map.of()))).start(Duration.ofMinutes(1));
                            ResultWatcher results = new ResultWatcher(broker.bootstrapServers())) {
                        StoreScu.send("127.0.0.1", ingest.port(), INGEST_AE, "SCANNER",
                                List.of(followUp.folder(), orphanFollowUp.folder()));

                        assertThat(results.awaitSeries(List.of(followUp.seriesUid(), orphanFollowUp.seriesUid(),
                                priorOnlyInPacs.seriesUid()), Duration.ofMinutes(2))).isTrue();
                        results.drain(Duration.ofSeconds(3));

                        assertThat(results.resultsFor(followUp.seriesUid())).singleElement().satisfies(r -> {
                            assertThat(r.getStatus()).isEqualTo(AnalysisStatus.ANALYSED);
                            assertThat(r.getPrior().getStudyInstanceUid()).isEqualTo(priorOnlyInPacs.studyUid());
                            assertThat(r.getSupersedes()).isNull();
                        });
                        // The retrieved prior is a patient's first visit here, and is reported as such.
                        assertThat(results.resultsFor(priorOnlyInPacs.seriesUid())).singleElement()
                                .extracting(AnalysisResult::getStatus).isEqualTo(AnalysisStatus.NO_PRIOR);
                        assertThat(results.resultsFor(orphanFollowUp.seriesUid())).singleElement().satisfies(r -> {
                            assertThat(r.getStatus()).isEqualTo(AnalysisStatus.NO_PRIOR);
                            assertThat(r.getReason()).contains("PACS: the PACS has no other MR study");
                        });
                    }
                }
            }
        }
    }

    private static Series find(List<Series> cohort, int subject, Visit visit) {
        return cohort.stream().filter(s -> s.subject() == subject && s.visit() == visit).findFirst().orElseThrow();
    }
}
