package org.neurostream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.HL7Service;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import ca.uhn.hl7v2.protocol.ReceivingApplication;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.blobstore.FileBlobStore;
import org.neurostream.pacs.LocalOrthanc;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.DeliveryStatus;

/** ORU^R01 v2.5.1 over MLLP to HAPI's own HL7 server: parsed, acknowledged; a NACK goes to retry. */
class Hl7DeliveryTest {
    @TempDir
    static Path tmp;
    static FileBlobStore blobs;
    static AnalysisResult result;
    static ResultPackage pkg;
    static HapiContext peerContext;
    static HL7Service peer;
    static int port;
    static final List<String> received = new CopyOnWriteArrayList<>();
    /** How many of the next messages the peer refuses with AE. */
    static final AtomicInteger nacks = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        blobs = new FileBlobStore(tmp.resolve("blobs"));
        result = TestStudies.withLesionsAndTissue(blobs, "hl7-1",
                TestStudies.writeFlair(blobs, "hl7-current", "20260112"),
                TestStudies.writeFlair(blobs, "hl7-prior", "20250110"));
        pkg = new ResultPackager(blobs).build(result);
        peerContext = new DefaultHapiContext();
        peerContext.getParserConfiguration().setIdGenerator(new ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator());
        port = LocalOrthanc.freePort();
        peer = peerContext.newServer(port, false);
        peer.registerApplication("ORU", "R01", new ReceivingApplication<Message>() {
            @Override
            public Message processMessage(Message message, Map<String, Object> metadata) throws HL7Exception {
                try {
                    received.add(message.encode());
                    if (nacks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        return message.generateACK(AcknowledgmentCode.AE, new HL7Exception("RIS busy"));
                    }
                    return message.generateACK();
                } catch (java.io.IOException e) {
                    throw new HL7Exception(e);
                }
            }

            @Override
            public boolean canProcess(Message message) {
                return true;
            }
        });
        peer.startAndWait();
    }

    @AfterAll
    static void stop() throws Exception {
        if (peer != null) {
            peer.stopAndWait();
        }
        if (peerContext != null) {
            peerContext.close();
        }
    }

    @BeforeEach
    void reset() {
        received.clear();
        nacks.set(0);
    }

    static Hl7Target target() {
        return new Hl7Target("localhost", port, Duration.ofSeconds(10),
                new OruBuilder("NEUROSTREAM", "NS", "RIS", "HOSPITAL", ZoneId.of("UTC")));
    }

    @Test
    void oruParsesWithOneObxPerMeasurementAndIsAcknowledged() throws Exception {
        DeliveryTarget.Delivered delivered = target().deliver(pkg);
        assertThat(delivered.objectIds()).containsExactly(DeterministicUids.hl7MessageControlId("hl7-1"));
        assertThat(received).hasSize(1);

        ORU_R01 oru = (ORU_R01) new DefaultHapiContext().getPipeParser().parse(received.get(0));
        assertThat(oru.getMSH().getVersionID().getVersionID().getValue()).isEqualTo("2.5.1");
        assertThat(oru.getMSH().getMessageControlID().getValue()).isEqualTo(delivered.objectIds().get(0));
        assertThat(oru.getPATIENT_RESULT().getPATIENT().getPID().getPatientIdentifierList(0).getIDNumber()
                .getValue()).isEqualTo(TestStudies.PATIENT_ID);
        var order = oru.getPATIENT_RESULT().getORDER_OBSERVATION();
        assertThat(order.getOBR().getUniversalServiceIdentifier().getIdentifier().getValue()).isEqualTo("24590-2");
        assertThat(order.getOBSERVATIONReps()).isEqualTo(pkg.measurements().size());
        OBX pbvc = order.getOBSERVATIONAll().stream().map(o -> o.getOBX())
                .filter(o -> "NS-PBVC".equals(o.getObservationIdentifier().getIdentifier().getValue()))
                .findFirst().orElseThrow();
        assertThat(pbvc.getValueType().getValue()).isEqualTo("NM");
        assertThat(pbvc.getObservationValue(0).getData().encode()).isEqualTo("-1.2900");
        assertThat(pbvc.getUnits().getIdentifier().getValue()).isEqualTo("%");
        assertThat(pbvc.getUnits().getNameOfCodingSystem().getValue()).isEqualTo("UCUM");
        assertThat(pbvc.getObservationResultStatus().getValue()).isEqualTo("F");

        target().deliver(pkg); // a re-send carries the same control id
        assertThat(received).hasSize(2);
        assertThat(received.get(1)).contains("|" + delivered.objectIds().get(0) + "|");
    }

    @Test
    void aNackFailsTheAttempt() {
        nacks.set(1);
        assertThatThrownBy(() -> target().deliver(pkg)).hasMessageContaining("AE").hasMessageContaining("NACK");
    }

    @Test
    void aNackGoesToRetryAndTheRetryIsDelivered() {
        nacks.set(1);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        List<DeliveryStatus> statuses = new CopyOnWriteArrayList<>();
        ResultHandler handler = new ResultHandler(new ResultPackager(blobs), List.of(target()),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)), metrics, statuses::add);

        DeliveryOutcome outcome = handler.handle(result);

        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.DELIVERED);
        assertThat(received).hasSize(2);
        assertThat(statuses).extracting(DeliveryStatus::getOutcome).containsExactly(
                org.neurostream.schemas.DeliveryOutcome.RETRYING, org.neurostream.schemas.DeliveryOutcome.DELIVERED);
        assertThat(statuses).extracting(DeliveryStatus::getAttempt).containsExactly(1, 2);
        assertThat(statuses.get(0).getDetail()).contains("NACK");
        assertThat(statuses.get(1).getObjectIds()).containsExactly(DeterministicUids.hl7MessageControlId("hl7-1"));
        assertThat(metrics.get("neurostream.delivery.retries").tag("target", "hl7").counter().count()).isEqualTo(1);
        assertThat(metrics.get("neurostream.deliveries").tags("target", "hl7", "outcome", "retrying").counter()
                .count()).isEqualTo(1);
        assertThat(metrics.get("neurostream.deliveries").tags("target", "hl7", "outcome", "delivered").counter()
                .count()).isEqualTo(1);
        assertThat(metrics.get("neurostream.end.to.end.latency").tag("target", "hl7").timer().count()).isEqualTo(1);
    }

    @Test
    void nacksUntilTheAttemptsAreUsedUpFailTheResult() {
        nacks.set(5);
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        List<DeliveryStatus> statuses = new CopyOnWriteArrayList<>();
        ResultHandler handler = new ResultHandler(new ResultPackager(blobs), List.of(target()),
                new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(20)), metrics, statuses::add);
        DeliveryOutcome outcome = handler.handle(result);
        assertThat(outcome.status()).isEqualTo(DeliveryOutcome.Status.FAILED);
        assertThat(outcome.reasonCode()).isEqualTo("delivery-failed");
        assertThat(outcome.reason()).contains("hl7").contains("NACK");
        assertThat(statuses).extracting(DeliveryStatus::getOutcome).containsExactly(
                org.neurostream.schemas.DeliveryOutcome.RETRYING, org.neurostream.schemas.DeliveryOutcome.FAILED);
    }
}
