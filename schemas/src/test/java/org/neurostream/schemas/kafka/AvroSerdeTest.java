package org.neurostream.schemas.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.StudyRef;

class AvroSerdeTest {
    private final AvroSerde<AnalysisResult> serde = AvroSerde.of(AnalysisResult.class);

    private static AnalysisResult result() {
        return AnalysisResult.newBuilder()
                .setResultId("result-1").setPairId("pair-1").setPatientKey("pk-1")
                .setStatus(AnalysisStatus.ANALYSED).setReason("paired")
                .setCurrent(StudyRef.newBuilder().setStudyInstanceUid("1.2").setSeriesInstanceUid("1.2.1")
                        .setStudyDate("20250101").setInstances(List.of()).build())
                .setPDecline(0.25)
                .setModels(List.of(ModelInfo.newBuilder().setName("m").setVersion("1").setSha256("ab")
                        .setDevice("cpu()").build()))
                .setStageMillis(Map.of("inference", 12L))
                .setCreatedAtMillis(42)
                .build();
    }

    @Test
    void roundTripsThroughKafkasSerializerAndDeserializer() {
        byte[] bytes = serde.serializer().serialize(Topics.ANALYSIS_RESULTS, result());
        assertThat(serde.deserializer().deserialize(Topics.ANALYSIS_RESULTS, bytes)).isEqualTo(result());
        assertThat(serde.serializer().serialize(Topics.ANALYSIS_RESULTS, null)).isNull();
    }

    @Test
    void garbageFailsWithTheTypeInTheMessage() {
        assertThatThrownBy(() -> serde.fromBytes(new byte[] {(byte) 0xff, 0x01, 0x7f}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("AnalysisResult").hasMessageContaining("3 bytes");
    }
}
