package org.neurostream.fuzz;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.AnalysisStatus;
import org.neurostream.schemas.DeadLetter;
import org.neurostream.schemas.DeliveryOutcome;
import org.neurostream.schemas.DeliveryStatus;
import org.neurostream.schemas.HistoryEntry;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.LabelMap;
import org.neurostream.schemas.ModelInfo;
import org.neurostream.schemas.Lesion;
import org.neurostream.schemas.NewLesions;
import org.neurostream.schemas.Pairing;
import org.neurostream.schemas.PatientHistory;
import org.neurostream.schemas.SeriesGeometry;
import org.neurostream.schemas.SeriesReceived;
import org.neurostream.schemas.StudyRef;
import org.neurostream.schemas.kafka.AvroSerde;

/**
 * Writes the seed corpus the fuzz tests start from, with the project's own writers: MR slices from imaging's
 * {@link MrSeriesWriter} (re-encoded by PixelMed in the other native transfer syntaxes and as an 8-bit image), a
 * STOW-RS body around one of them, and one value per event type from the Avro builders. Run it again after a
 * writer or schema change:
 * {@code mvn -o -pl fuzz test-compile exec:java -Dexec.mainClass=org.neurostream.fuzz.SeedWriter
 * -Dexec.classpathScope=test}
 */
public final class SeedWriter {
    private static final Path RESOURCES = Path.of("src/test/resources");

    public static void main(String[] args) throws Exception {
        Path base = args.length > 0 ? Path.of(args[0]) : RESOURCES;
        Map<String, byte[]> dicom = dicomSeeds();
        for (String target : List.of("org/neurostream/fuzz/DicomHeaderFuzzTestInputs/readHeaders",
                "org/neurostream/fuzz/DicomSliceFuzzTestInputs/readSlice",
                "org/neurostream/ingest/InstanceIngestFuzzTestInputs/validateAndFrame")) {
            write(base.resolve(target), dicom);
        }
        write(base.resolve("org/neurostream/ingest/MultipartRelatedReaderFuzzTestInputs/readBody"),
                Map.of("seed-stow-two-parts", stowBody(dicom.get("seed-mr-explicit-le.dcm"))));
        write(base.resolve("org/neurostream/fuzz/EventSerdeFuzzTestInputs/decode"), eventSeeds());
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Files.write(dir.resolve(seed.getKey()), seed.getValue());
            System.out.println(dir.resolve(seed.getKey()) + " (" + seed.getValue().length + " bytes)");
        }
    }

    /** A 4 x 3 slice: small, so the fuzzer spends its time in the header rather than in pixel bytes. */
    static Map<String, byte[]> dicomSeeds() throws IOException, DicomException {
        float[] data = new float[4 * 3 * 2];
        for (int n = 0; n < data.length; n++) {
            data[n] = n * 10.5f - 20;
        }
        Volume volume = new Volume(4, 3, 2, new double[] {0.9, 1.0, 1.2}, new double[] {-10, 20, 5},
                Volume.identity(), data);
        String study = Uids.fromName("fuzz-seed-study");
        MrSeriesMetadata metadata = new MrSeriesMetadata("SEED^PHANTOM", "SEED01", "FUZZ", LocalDate.of(1970, 1, 1),
                "O", study, LocalDate.of(2025, 3, 4), LocalTime.of(10, 11, 12), "A1", "seed study",
                Uids.fromName("fuzz-seed-series"), 3, "T1 MPRAGE", Uids.fromName("fuzz-seed-frame"));
        Path dir = Files.createTempDirectory("neurostream-seeds-");
        try {
            Path first = MrSeriesWriter.write(volume, metadata, dir).get(0);
            Map<String, byte[]> seeds = new LinkedHashMap<>();
            seeds.put("seed-mr-explicit-le.dcm", Files.readAllBytes(first));
            AttributeList list = new AttributeList();
            list.read(first.toFile());
            seeds.put("seed-mr-implicit-le.dcm", encode(list, TransferSyntax.ImplicitVRLittleEndian));
            seeds.put("seed-mr-explicit-be.dcm", encode(list, TransferSyntax.ExplicitVRBigEndian));
            seeds.put("seed-mr-deflated.dcm", encode(list, TransferSyntax.DeflatedExplicitVRLittleEndian));
            seeds.put("seed-mr-8bit.dcm", encode(eightBit(list), TransferSyntax.ExplicitVRLittleEndian));
            return seeds;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static AttributeList eightBit(AttributeList list) throws DicomException {
        AttributeList copy = (AttributeList) list.clone();
        int rows = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(copy, TagFromName.Rows, 0);
        int columns = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(copy, TagFromName.Columns, 0);
        byte[] pixels = new byte[rows * columns];
        for (int n = 0; n < pixels.length; n++) {
            pixels[n] = (byte) (n * 17);
        }
        copy.replaceWithValueIfPresent(TagFromName.BitsAllocated, "8");
        copy.replaceWithValueIfPresent(TagFromName.BitsStored, "8");
        copy.replaceWithValueIfPresent(TagFromName.HighBit, "7");
        OtherByteAttribute pixelData = new OtherByteAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        copy.put(pixelData);
        return copy;
    }

    private static byte[] encode(AttributeList list, String transferSyntax) throws IOException, DicomException {
        AttributeList copy = (AttributeList) list.clone();
        copy.removeGroupLengthAttributes();
        copy.removeMetaInformationHeaderAttributes();
        FileMetaInformation.addFileMetaInformation(copy, transferSyntax, "NEUROSTREAM");
        Path file = Files.createTempFile("neurostream-seed-", ".dcm");
        try {
            copy.write(file.toFile(), transferSyntax, true, true);
            return Files.readAllBytes(file);
        } finally {
            Files.delete(file);
        }
    }

    /** A STOW-RS request as clients send it: the Content-Type line, then a DICOM part and a part of another type. */
    static byte[] stowBody(byte[] instance) throws IOException {
        String boundary = "fuzz-boundary-42";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("multipart/related; type=\"application/dicom\"; boundary=\"" + boundary + "\"\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(instance);
        out.write(("\r\n--" + boundary + "\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** One value per type, prefixed with the type's index in {@link EventSerdeFuzzTest#SERDES}. */
    static Map<String, byte[]> eventSeeds() {
        InstanceRef instance = InstanceRef.newBuilder().setSopInstanceUid("2.25.11")
                .setSopClassUid("1.2.840.10008.5.1.4.1.1.4")
                .setInstanceNumber(1).setBlobRef("sha256:00ff").build();
        SeriesReceived series = SeriesReceived.newBuilder().setEventId("ev-1").setPatientKey("pk-0123")
                .setStudyInstanceUid("2.25.1").setSeriesInstanceUid("2.25.2").setStudyDate("20250304")
                .setModality("MR").setSeriesDescription("T1 MPRAGE").setImageType("ORIGINAL\\PRIMARY")
                .setGeometry(SeriesGeometry.newBuilder().setRows(3).setColumns(4).setPixelSpacing(List.of(1.0, 0.9))
                        .setSliceThickness(1.2).setImageOrientationPatient(List.of(1.0, 0.0, 0.0, 0.0, 1.0, 0.0))
                        .build())
                .setInstances(List.of(instance)).setSource("c-store:SCANNER").setFirstReceivedAtMillis(1000)
                .setCompletedAtMillis(2000).build();
        StudyRef current = StudyRef.newBuilder().setStudyInstanceUid("2.25.1").setSeriesInstanceUid("2.25.2")
                .setStudyDate("20250304").setInstances(List.of(instance)).build();
        AnalysisResult result = AnalysisResult.newBuilder().setResultId("r-1").setPairId("p-1").setPatientKey("pk-0123")
                .setStatus(AnalysisStatus.ANALYSED).setReason("paired").setCurrent(current).setPrior(current)
                .setIntervalDays(365).setPDecline(0.25)
                .setModels(List.of(ModelInfo.newBuilder().setName("m").setVersion("1").setSha256("ab")
                        .setDevice("cpu()").build()))
                .setStageMillis(Map.of("inference", 12L))
                .setNewLesions(NewLesions.newBuilder().setCount(1).setTotalVolumeMl(0.5).setThreshold(0.5)
                        .setMinLesionVolumeMl(0.01)
                        .setLesions(List.of(Lesion.newBuilder().setLabel(1).setVolumeMl(0.5)
                                .setCentroidMm(List.of(1.0, 2.0, 3.0)).setMeanProbability(0.9).build()))
                        .setMask(LabelMap.newBuilder().setBlobRef("sha256:01").setColumns(4).setRows(3)
                                .setFrameSopInstanceUids(List.of("2.25.11")).setLabels(Map.of("1", "new lesion"))
                                .build())
                        .build())
                .setCreatedAtMillis(2000).build();
        DeliveryStatus delivery = DeliveryStatus.newBuilder().setResultId("r-1").setTarget("pacs-cstore")
                .setOutcome(DeliveryOutcome.DELIVERED).setAttempt(1).setObjectIds(List.of("2.25.99"))
                .setSeriesCompletedAtMillis(2000L).setAtMillis(3000).build();
        DeadLetter dead = DeadLetter.newBuilder().setStage("processor").setReason("cannot decode").setKey("pk-0123")
                .setSubjectId("2.25.2").setPayload(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3})).setAtMillis(4000)
                .build();
        PatientHistory history = PatientHistory.newBuilder().setEntries(List.of(HistoryEntry.newBuilder()
                .setSeries(series).setKind("T1_3D")
                .setPairing(Pairing.newBuilder().setCurrentEventId("ev-1").setResultId("r-1").build()).build()))
                .build();
        List<SpecificRecord> values = List.of(series, result, delivery, dead, history);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            byte[] value = encode(EventSerdeFuzzTest.SERDES.get(i), values.get(i));
            byte[] seed = new byte[value.length + 1];
            seed[0] = (byte) i;
            System.arraycopy(value, 0, seed, 1, value.length);
            seeds.put("seed-" + values.get(i).getSchema().getName(), seed);
        }
        return seeds;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(AvroSerde<T> serde, SpecificRecord value) {
        return serde.toBytes((T) value);
    }

    private SeedWriter() {
    }
}
