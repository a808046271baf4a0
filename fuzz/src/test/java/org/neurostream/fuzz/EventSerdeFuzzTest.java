package org.neurostream.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.kafka.AvroSerde;

/**
 * The event deserialisers on arbitrary record values, as a consumer meets a corrupt or foreign record on a topic
 * (or the processor a damaged state store entry). The first byte picks the event type, the rest is the value.
 * Contract: a record that encodes and decodes to itself, or Kafka's {@link SerializationException}.
 */
class EventSerdeFuzzTest {
    /** Every value type on a topic in {@code Topics}, and the processor's state store value. */
    static final List<AvroSerde<? extends SpecificRecord>> SERDES = List.of(
            AvroSerde.of(SeriesReceived.class), AvroSerde.of(AnalysisResult.class),
            AvroSerde.of(DeliveryStatus.class), AvroSerde.of(DeadLetter.class), AvroSerde.of(PatientHistory.class));

    @FuzzTest(maxDuration = "15s")
    void decode(byte[] data) {
        if (data.length == 0) {
            return;
        }
        roundTrip(SERDES.get((data[0] & 0xff) % SERDES.size()), Arrays.copyOfRange(data, 1, data.length));
    }

    private static <T extends SpecificRecord> void roundTrip(AvroSerde<T> serde, byte[] value) {
        T record;
        try {
            record = serde.fromBytes(value);
        } catch (SerializationException expected) {
            return;
        }
        assertThat(record).isNotNull();
        T again = serde.fromBytes(serde.toBytes(record));
        // Field by field: the generated equals() says a NaN double differs from itself.
        assertThat(again).usingRecursiveComparison()
                .withEqualsForType((a, b) -> Double.compare(a, b) == 0, Double.class)
                .withEqualsForType(ByteBuffer::equals, ByteBuffer.class)
                .isEqualTo(record);
    }
}
