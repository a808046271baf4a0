package org.neurostream.schemas.kafka;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary Serde for one generated record type. The schema is compiled in on both sides, so no schema
 * registry is needed; schema evolution follows Avro's rules (new fields get defaults).
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;

    public AvroSerde(Class<T> type) {
        this.type = type;
    }

    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return new AvroSerde<>(type);
    }

    public byte[] toBytes(T record) {
        if (record == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<T>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public T fromBytes(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            Schema schema = SpecificData.get().getSchema(type);
            checkLengths(schema, bytes);
            SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " (" + bytes.length
                    + " bytes): " + e.getMessage(), e);
        }
    }

    /**
     * Avro allocates what a declared string/bytes length or array/map count asks for before it reads the items, so
     * a few corrupt bytes can demand gigabytes: an OutOfMemoryError rather than an error to report (found by
     * fuzz/EventSerdeFuzzTest). This walk reads the value without allocating and checks every length and count
     * against the bytes left; every item of our schemas takes at least one byte. It reads each item rather than
     * trusting a block's byte size, which a corrupt value can also set.
     */
    private static void checkLengths(Schema schema, byte[] bytes) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        walk(schema, DecoderFactory.get().directBinaryDecoder(in, null), in);
    }

    private static void walk(Schema schema, BinaryDecoder d, ByteArrayInputStream in) throws IOException {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    walk(field.schema(), d, in);
                }
            }
            case ARRAY -> {
                for (long n = items(d, in); n > 0; n = items(d, in)) {
                    for (long i = 0; i < n; i++) {
                        walk(schema.getElementType(), d, in);
                    }
                }
            }
            case MAP -> {
                for (long n = items(d, in); n > 0; n = items(d, in)) {
                    for (long i = 0; i < n; i++) {
                        skip(d, in);
                        walk(schema.getValueType(), d, in);
                    }
                }
            }
            case UNION -> {
                int branch = d.readIndex();
                if (branch < 0 || branch >= schema.getTypes().size()) {
                    throw new IOException("union branch " + branch + " does not exist");
                }
                walk(schema.getTypes().get(branch), d, in);
            }
            case STRING, BYTES -> skip(d, in);
            case FIXED -> d.skipFixed(schema.getFixedSize());
            case ENUM -> d.readEnum();
            case INT -> d.readInt();
            case LONG -> d.readLong();
            case FLOAT -> d.readFloat();
            case DOUBLE -> d.readDouble();
            case BOOLEAN -> d.readBoolean();
            case NULL -> d.readNull();
        }
    }

    /** The item count of the next array or map block (a negative count is followed by the block's byte size). */
    private static long items(BinaryDecoder d, ByteArrayInputStream in) throws IOException {
        long count = d.readLong();
        if (count < 0) {
            count = -count;
            d.readLong();
        }
        if (count < 0 || count > in.available()) {
            throw new EOFException("a block declares " + count + " items with " + in.available() + " bytes left");
        }
        return count;
    }

    /** Skips a string or bytes value after checking its declared length. */
    private static void skip(BinaryDecoder d, ByteArrayInputStream in) throws IOException {
        long length = d.readLong();
        if (length < 0 || length > in.available()) {
            throw new EOFException("a value declares " + length + " bytes with " + in.available() + " left");
        }
        d.skipFixed((int) length);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, data) -> toBytes(data);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, data) -> fromBytes(data);
    }
}
