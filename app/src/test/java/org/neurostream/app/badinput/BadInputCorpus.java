package org.neurostream.app.badinput;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.neurostream.imaging.MrSeriesMetadata;
import org.neurostream.imaging.MrSeriesWriter;
import org.neurostream.imaging.Uids;
import org.neurostream.imaging.Volume;

/**
 * A corpus of bad input, every object made here: tiny MR series from the project's own {@link MrSeriesWriter},
 * then changed through PixelMed (header-level faults) or byte by byte (encoding faults). Each {@link Case} names the
 * door it must arrive through and the outcome it must end in:
 * <ul>
 * <li>{@link Outcome#INGEST_REJECTED}: the object is refused when it arrives (failure status, WARN line,
 *     {@code neurostream_ingest_instances_rejected{reason}} and a dead letter of stage {@code ingest} whose reason
 *     starts with the code);</li>
 * <li>{@link Outcome#CONTEXT_REFUSED}: the sender cannot even offer the object: our SCP refuses its presentation
 *     context (no transfer syntax we decode), says so in a WARN line and counts
 *     {@code neurostream_ingest_requests_refused{door="c-store",reason}}; nothing arrives, so no dead letter;</li>
 * <li>{@link Outcome#SERIES_REJECTED}: the object is stored, but the follow-up series it belongs to cannot be
 *     analysed against its (good) prior: a REJECTED result and a dead letter of stage {@code processor} whose
 *     reason starts with the code;</li>
 * <li>{@link Outcome#IGNORED}: a valid series NeuroStream does not analyse (not MR, a localizer, another body
 *     part…): no result and no dead letter (every MR study holds a localizer: a dead letter each would make the
 *     dead-letter alert meaningless), but an INFO line "not analysed (reason)" and
 *     {@code neurostream_pairing_outcomes{outcome="not-pairable"}}.</li>
 * </ul>
 * Patient names and ids are distinct per case and must never appear in a log line.
 */
public final class BadInputCorpus {
    public enum Door { C_STORE, STOW_RS }

    public enum Outcome { INGEST_REJECTED, CONTEXT_REFUSED, SERIES_REJECTED, IGNORED }

    /**
     * @param reason    the reason code (ingest or processor) the case must end in; for {@link Outcome#IGNORED} a
     *                  fragment of the "not analysed" reason
     * @param files     what is sent through {@code door}, in this order
     * @param rejected  how many of {@code files} ingest must refuse (INGEST_REJECTED)
     * @param prior     a good earlier series of the same patient, sent first (SERIES_REJECTED); else empty
     * @param seriesUid the series the outcome is about
     * @param senderOptions extra storescu options (C-STORE)
     */
    public record Case(String name, String description, Door door, Outcome outcome, String reason, List<Path> files,
            int rejected, List<Path> prior, String seriesUid, String patientName, String patientId,
            List<String> senderOptions) {
    }

    static final int NX = 16;
    static final int NY = 16;
    static final int NZ = 8;
    static final double SPACING = 2.0;
    private static final String ISSUER = "BADINPUT-ISSUER";
    private static final LocalDate PRIOR_DATE = LocalDate.of(2025, 2, 3);
    private static final LocalDate FOLLOW_UP_DATE = LocalDate.of(2026, 2, 2);
    private static final AttributeTag MR_ACQUISITION_TYPE = tag("MRAcquisitionType");

    private final Path root;
    private final List<Case> cases = new ArrayList<>();
    private int number;

    private BadInputCorpus(Path root) {
        this.root = root;
    }

    /** Writes every case under {@code root}. */
    public static List<Case> write(Path root) throws Exception {
        BadInputCorpus corpus = new BadInputCorpus(root);
        corpus.encodingFaults();
        corpus.objectFaults();
        corpus.transferSyntaxes();
        corpus.seriesFaults();
        corpus.seriesNotAnalysed();
        return List.copyOf(corpus.cases);
    }

    // ---- bytes that are not a usable DICOM object: only STOW-RS carries them (storescu parses first) ----

    private void encodingFaults() throws Exception {
        stowBytes("empty-file", "a zero-byte part", "unparseable", b -> new byte[0]);
        stowBytes("not-dicom", "a text document sent as application/dicom", "unparseable",
                b -> "Referral letter: please compare with the scan of last year.\n".repeat(20)
                        .getBytes(StandardCharsets.US_ASCII));
        stowBytes("missing-preamble", "meta header and data set without the 128-byte preamble", "unparseable",
                b -> Arrays.copyOfRange(b, 128, b.length));
        stowBytes("bad-magic", "'DICX' where the Part 10 prefix must read 'DICM'", "unparseable", b -> {
            byte[] c = b.clone();
            c[131] = 'X';
            return c;
        });
        stowBytes("no-meta-header", "a bare data set with no Part 10 header (as old archives hold)",
                "unparseable", b -> Arrays.copyOfRange(b, dataSetStart(b), b.length));
        stowBytes("truncated-in-meta-header", "cut 40 bytes into the file meta information", "unparseable",
                b -> Arrays.copyOf(b, 172));
        stowBytes("truncated-in-data-set-header", "cut inside the data set's attributes", "unparseable",
                b -> Arrays.copyOf(b, dataSetStart(b) + 150));
        stowBytes("truncated-in-pixel-data", "cut half-way through the pixel data", "unparseable",
                b -> Arrays.copyOf(b, b.length - NX * NY));
        stowBytes("truncated-last-byte", "only the very last byte missing", "unparseable",
                b -> Arrays.copyOf(b, b.length - 1));
        stowBytes("wrong-vr-length", "Modality (CS) declares 5 bytes for its 2: every later element misaligned",
                "unparseable", b -> withLength16(b, TagFromName.Modality, 5));
        stowBytes("absurd-declared-length", "SeriesDescription (LO) declares 65534 bytes in a 2 KB file",
                "unparseable", b -> withLength16(b, TagFromName.SeriesDescription, 0xFFFE));
        stowBytes("huge-pixel-data-length", "PixelData declares 2 GiB", "unparseable",
                b -> withLength32(b, TagFromName.PixelData, 0x7FFFFFF0));
        stowBytes("undefined-length-native-pixel-data",
                "native (uncompressed) PixelData with undefined length, allowed only for encapsulated data",
                "unparseable", b -> withLength32(b, TagFromName.PixelData, 0xFFFFFFFF));
    }

    // ---- well-encoded objects ingest cannot use ----

    private void objectFaults() throws Exception {
        singleObject("pixel-data-shorter-than-rows-x-columns", "PixelData holds half of Rows x Columns",
                Door.C_STORE, "truncated-pixel-data", list -> {
                    short[] half = new short[NX * NY / 2];
                    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
                    pixels.setValues(half);
                    list.put(pixels);
                });
        singleObject("missing-pixel-data", "an MR image without PixelData", Door.C_STORE, "not-an-image",
                list -> list.remove(TagFromName.PixelData));
        singleObject("missing-study-uid", "no StudyInstanceUID", Door.C_STORE, "missing-attribute",
                list -> list.remove(TagFromName.StudyInstanceUID));
        singleObject("missing-series-uid", "no SeriesInstanceUID", Door.C_STORE, "missing-attribute",
                list -> list.remove(TagFromName.SeriesInstanceUID));
        singleObject("missing-patient-id", "no PatientID: no patient key, so no history to pair in",
                Door.C_STORE, "missing-attribute", list -> list.remove(TagFromName.PatientID));
        singleObject("missing-sop-instance-uid", "no SOPInstanceUID in the data set", Door.STOW_RS,
                "missing-attribute", list -> list.remove(TagFromName.SOPInstanceUID));
        Patient p = patient("structured-report");
        Path sr = Files.createDirectories(dir("structured-report")).resolve("sr.dcm");
        writeStructuredReport(p, sr);
        add("structured-report", "a Comprehensive SR (non-image SOP class) stored to us", Door.STOW_RS,
                Outcome.INGEST_REJECTED, "not-an-image", List.of(sr), 1, List.of(), null, p);

        // A series whose fourth slice names another patient (a mis-routed or mis-merged instance).
        p = patient("patient-changes-within-series");
        List<Path> files = writeSeries(p, "patient-changes-within-series", FOLLOW_UP_DATE, "T1 MPRAGE 3D");
        Patient other = patient("patient-changes-within-series/other");
        edit(files.get(3), list -> {
            put(list, TagFromName.PatientID, other.id());
            put(list, TagFromName.PatientName, other.name());
        });
        add("patient-changes-within-series", "slice 4 of 8 carries another PatientID", Door.C_STORE,
                Outcome.INGEST_REJECTED, "series-patient-mismatch", files, 1, List.of(), p.seriesUid(), p);

        p = patient("study-changes-within-series");
        files = writeSeries(p, "study-changes-within-series", FOLLOW_UP_DATE, "T1 MPRAGE 3D");
        edit(files.get(3), list -> put(list, TagFromName.StudyInstanceUID, Uids.fromName("other-study")));
        add("study-changes-within-series", "slice 4 of 8 names another StudyInstanceUID", Door.C_STORE,
                Outcome.INGEST_REJECTED, "series-study-mismatch", files, 1, List.of(), p.seriesUid(), p);

        // The same SOP Instance UID sent twice with different pixels.
        p = patient("duplicate-sop-uid-different-content");
        files = new ArrayList<>(writeSeries(p, "duplicate-sop-uid-different-content", FOLLOW_UP_DATE,
                "T1 MPRAGE 3D"));
        Path twin = dir("duplicate-sop-uid-different-content").resolve("twin.dcm");
        Files.copy(files.get(2), twin);
        edit(twin, list -> {
            short[] different = new short[NX * NY];
            Arrays.fill(different, (short) 4000);
            OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
            pixels.setValues(different);
            list.put(pixels);
        });
        files.add(twin);
        add("duplicate-sop-uid-different-content", "slice 3's SOP Instance UID sent again with other pixels",
                Door.C_STORE, Outcome.INGEST_REJECTED, "duplicate-sop-instance-uid", files, 1, List.of(),
                p.seriesUid(), p);
    }

    // ---- follow-up series stored fine but not analysable against their good prior ----

    private void seriesFaults() throws Exception {
        followUp("missing-slices", "slice 5 of 8 never arrived", Door.C_STORE, "missing-slices",
                files -> {
                    Files.delete(files.get(4));
                    files.remove(4);
                });
        followUp("irregular-spacing", "slices 5-8 shifted 0.6 mm: steps of 2.0 and 2.6 mm", Door.C_STORE,
                "irregular-spacing", files -> {
                    for (int k = 4; k < files.size(); k++) {
                        int slice = k;
                        edit(files.get(k), list -> putDecimals(list, TagFromName.ImagePositionPatient,
                                origin(0), origin(1), origin(2) + slice * SPACING + 0.6));
                    }
                });
        followUp("mixed-orientation", "slice 3 tilted by 6 degrees", Door.C_STORE, "mixed-orientation",
                files -> edit(files.get(2), list -> putDecimals(list, TagFromName.ImageOrientationPatient,
                        1, 0, 0, 0, 0.9945, 0.1045)));
        followUp("mixed-image-size", "slice 3 has 12 rows, the others 16", Door.C_STORE, "mixed-image-size",
                files -> edit(files.get(2), list -> {
                    put(list, TagFromName.Rows, "12");
                    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
                    pixels.setValues(new short[12 * NX]);
                    list.put(pixels);
                }));
        followUp("mixed-pixel-spacing", "slice 3 at 2.5 mm pixels, the others 2 mm", Door.C_STORE,
                "mixed-pixel-spacing", files -> edit(files.get(2),
                        list -> putDecimals(list, TagFromName.PixelSpacing, 2.5, 2.5)));
        followUp("single-slice", "a 3D T1 of one slice", Door.C_STORE, "too-few-slices", files -> {
            while (files.size() > 1) {
                Files.delete(files.remove(files.size() - 1));
            }
        });
        followUp("4d-repeated-positions", "two temporal positions: every slice position twice", Door.C_STORE,
                "duplicate-slice-position", files -> {
                    int n = files.size();
                    for (int k = 0; k < n; k++) {
                        Path copy = files.get(k).resolveSibling(String.format("T2-%05d.dcm", k + 1));
                        Files.copy(files.get(k), copy);
                        int instance = n + k + 1;
                        edit(copy, list -> {
                            String series = text(list, TagFromName.SeriesInstanceUID);
                            put(list, TagFromName.SOPInstanceUID, Uids.fromName(series + "/t2/" + instance));
                            put(list, TagFromName.InstanceNumber, Integer.toString(instance));
                            put(list, tag("TemporalPositionIdentifier"), "2");
                        });
                        files.add(copy);
                    }
                });
        followUp("sheared-stack", "each slice shifted 0.5 mm sideways (gantry tilt)", Door.C_STORE,
                "sheared-stack", files -> {
                    for (int k = 0; k < files.size(); k++) {
                        int slice = k;
                        edit(files.get(k), list -> putDecimals(list, TagFromName.ImagePositionPatient,
                                origin(0) + 0.5 * slice, origin(1), origin(2) + slice * SPACING));
                    }
                });
        followUp("missing-image-position", "slice 3 without ImagePositionPatient", Door.C_STORE,
                "missing-geometry", files -> edit(files.get(2),
                        list -> list.remove(TagFromName.ImagePositionPatient)));
        followUp("missing-image-orientation", "slice 3 without ImageOrientationPatient", Door.C_STORE,
                "missing-geometry", files -> edit(files.get(2),
                        list -> list.remove(TagFromName.ImageOrientationPatient)));
        followUp("negative-pixel-spacing", "PixelSpacing -2\\-2 on every slice", Door.C_STORE,
                "invalid-pixel-spacing", files -> everySlice(files,
                        list -> putDecimals(list, TagFromName.PixelSpacing, -2, -2)));
        followUp("zero-pixel-spacing", "PixelSpacing 0\\0 on every slice", Door.C_STORE, "invalid-pixel-spacing",
                files -> everySlice(files, list -> putDecimals(list, TagFromName.PixelSpacing, 0, 0)));
        followUp("rows-zero", "slice 3 declares Rows 0", Door.C_STORE, "invalid-image-size",
                files -> edit(files.get(2), list -> put(list, TagFromName.Rows, "0")));
        followUp("bits-allocated-12", "BitsAllocated 12 (packed 12-bit, retired) on every slice", Door.C_STORE,
                "unsupported-pixel-format", files -> everySlice(files, list -> {
                    put(list, TagFromName.BitsAllocated, "12");
                    put(list, TagFromName.BitsStored, "12");
                    put(list, TagFromName.HighBit, "11");
                }));
        followUp("bits-allocated-32", "32-bit pixels on every slice", Door.C_STORE, "unsupported-pixel-format",
                files -> everySlice(files, list -> {
                    put(list, TagFromName.BitsAllocated, "32");
                    put(list, TagFromName.BitsStored, "32");
                    put(list, TagFromName.HighBit, "31");
                    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
                    pixels.setValues(new short[2 * NX * NY]);
                    list.put(pixels);
                }));
        followUp("rgb-samples", "SamplesPerPixel 3 (colour) on every slice", Door.C_STORE,
                "unsupported-pixel-format", files -> everySlice(files, list -> {
                    put(list, TagFromName.SamplesPerPixel, "3");
                    put(list, TagFromName.PhotometricInterpretation, "RGB");
                    put(list, TagFromName.PlanarConfiguration, "0");
                    put(list, TagFromName.BitsAllocated, "8");
                    put(list, TagFromName.BitsStored, "8");
                    put(list, TagFromName.HighBit, "7");
                    OtherWordAttribute pixels = new OtherWordAttribute(TagFromName.PixelData);
                    pixels.setValues(new short[3 * NX * NY / 2]);
                    list.put(pixels);
                }));
    }

    // ---- transfer syntaxes NeuroStream does not decode ----

    private void transferSyntaxes() throws Exception {
        // storescu would decompress JPEG-LS and RLE itself (and cannot send JPEG 2000 to an SCP that accepts only
        // uncompressed data); STOW-RS carries them as they are, and ingest refuses them.
        compressed("jpeg-2000", TransferSyntax.JPEG2000Lossless, new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51});
        compressed("jpeg-ls", TransferSyntax.JPEGLS, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            (byte) 0xF7});
        compressed("rle", TransferSyntax.RLE, new byte[] {1, 0, 0, 0, 64, 0, 0, 0});

        // The same JPEG 2000 object offered over C-STORE: storescu has no JPEG 2000 codec to fall back on.
        Patient p = patient("jpeg-2000-over-c-store");
        List<Path> files = writeSeries(p, "jpeg-2000-over-c-store", FOLLOW_UP_DATE, "T1 MPRAGE 3D");
        for (Path extra : files.subList(1, files.size())) {
            Files.delete(extra);
        }
        Files.write(files.get(0), encapsulated(files.get(0), TransferSyntax.JPEG2000Lossless,
                new byte[] {(byte) 0xFF, 0x4F, (byte) 0xFF, 0x51}));
        // -xv: offer it as JPEG 2000 in a context of its own, as a PACS holding only the compressed object does.
        cases.add(new Case("jpeg-2000-over-c-store", "a JPEG 2000 object offered as such by storescu (-xv)",
                Door.C_STORE, Outcome.CONTEXT_REFUSED, "transfer-syntax", List.of(files.get(0)), 0, List.of(), null,
                p.name(), p.id(), List.of("-xv")));
    }

    private void compressed(String name, String transferSyntax, byte[] codestreamStart) throws Exception {
        singleObject(name, "an MR image encapsulated as " + transferSyntax, Door.STOW_RS,
                "unsupported-transfer-syntax", list -> { });
        Path file = cases.get(cases.size() - 1).files().get(0);
        Files.write(file, encapsulated(file, transferSyntax, codestreamStart));
    }

    // ---- valid series NeuroStream does not analyse ----

    private void seriesNotAnalysed() throws Exception {
        ignored("ct-modality", "a CT series (CT Image Storage, Modality CT)", "modality CT is not MR",
                list -> {
                    put(list, TagFromName.SOPClassUID, SOPClass.CTImageStorage);
                    put(list, TagFromName.Modality, "CT");
                });
        ignored("localizer", "a 3-plane localizer (ImageType LOCALIZER)", "localizer",
                list -> put(list, TagFromName.ImageType, "ORIGINAL", "PRIMARY", "LOCALIZER"));
        ignored("non-brain-body-part", "a 3D T1 of the knee", "body part KNEE is not the brain",
                list -> put(list, TagFromName.BodyPartExamined, "KNEE"));
        ignored("t1-2d", "a 2D T1 (MRAcquisitionType 2D)", "not a 3D acquisition",
                list -> put(list, MR_ACQUISITION_TYPE, "2D"));
        ignored("derived-image", "a derived map (ImageType DERIVED\\SECONDARY)", "derived or secondary",
                list -> put(list, TagFromName.ImageType, "DERIVED", "SECONDARY", "ADC"));
    }

    // ---- building blocks ----

    interface Bytes {
        byte[] apply(byte[] good) throws Exception;
    }

    interface ListEdit {
        void apply(AttributeList list) throws Exception;
    }

    interface FilesEdit {
        void apply(List<Path> files) throws Exception;
    }

    record Patient(String name, String id, String studyUid, String seriesUid, int number) {
    }

    private Patient patient(String caseName) {
        number++;
        return new Patient(String.format("BADINPUT^CASE%02d", number), String.format("BI%04dZQX", number),
                Uids.fromName("neurostream-badinput/" + caseName + "/study"),
                Uids.fromName("neurostream-badinput/" + caseName + "/series"), number);
    }

    private Path dir(String caseName) {
        return root.resolve(caseName);
    }

    private void add(String name, String description, Door door, Outcome outcome, String reason, List<Path> files,
            int rejected, List<Path> prior, String seriesUid, Patient p) {
        cases.add(new Case(name, description, door, outcome, reason, List.copyOf(files), rejected, List.copyOf(prior),
                seriesUid, p.name(), p.id(), List.of()));
    }

    private void stowBytes(String name, String description, String reason, Bytes corruption) throws Exception {
        Patient p = patient(name);
        Path good = writeSeries(p, name + "/source", FOLLOW_UP_DATE, "T1 MPRAGE 3D").get(0);
        Path bad = dir(name).resolve("object.dcm");
        Files.write(bad, corruption.apply(Files.readAllBytes(good)));
        deleteTree(dir(name).resolve("source"));
        add(name, description, Door.STOW_RS, Outcome.INGEST_REJECTED, reason, List.of(bad), 1, List.of(), null, p);
    }

    private void singleObject(String name, String description, Door door, String reason, ListEdit edit)
            throws Exception {
        Patient p = patient(name);
        List<Path> files = writeSeries(p, name, FOLLOW_UP_DATE, "T1 MPRAGE 3D");
        for (Path extra : files.subList(1, files.size())) {
            Files.delete(extra);
        }
        edit(files.get(0), edit);
        add(name, description, door, Outcome.INGEST_REJECTED, reason, files.subList(0, 1), 1, List.of(), null, p);
    }

    private void followUp(String name, String description, Door door, String reason, FilesEdit edit)
            throws Exception {
        Patient p = patient(name);
        Patient priorVisit = new Patient(p.name(), p.id(), Uids.fromName("neurostream-badinput/" + name
                + "/prior-study"), Uids.fromName("neurostream-badinput/" + name + "/prior-series"), p.number());
        List<Path> prior = writeSeries(priorVisit, name + "/prior", PRIOR_DATE, "T1 MPRAGE 3D");
        List<Path> files = new ArrayList<>(writeSeries(p, name + "/follow-up", FOLLOW_UP_DATE, "T1 MPRAGE 3D"));
        edit.apply(files);
        add(name, description, door, Outcome.SERIES_REJECTED, reason, files, 0, prior, p.seriesUid(), p);
    }

    private void ignored(String name, String description, String reasonFragment, ListEdit edit) throws Exception {
        Patient p = patient(name);
        List<Path> files = writeSeries(p, name, FOLLOW_UP_DATE, "T1 MPRAGE 3D");
        everySlice(files, edit);
        add(name, description, Door.C_STORE, Outcome.IGNORED, reasonFragment, files, 0, List.of(), p.seriesUid(), p);
    }

    /** A tiny 3D T1 (16 x 16 x 8 at 2 mm) with a smooth pattern, through the project's own writer. */
    private List<Path> writeSeries(Patient p, String folder, LocalDate date, String description)
            throws IOException {
        float[] data = new float[NX * NY * NZ];
        for (int k = 0; k < NZ; k++) {
            for (int j = 0; j < NY; j++) {
                for (int i = 0; i < NX; i++) {
                    data[(k * NY + j) * NX + i] = 200 + 20 * i + 13 * j + 31 * k + (i * j) % 7;
                }
            }
        }
        Volume volume = new Volume(NX, NY, NZ, new double[] {SPACING, SPACING, SPACING},
                new double[] {origin(0), origin(1), origin(2)}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, data);
        MrSeriesMetadata metadata = new MrSeriesMetadata(p.name(), p.id(), ISSUER, LocalDate.of(1950, 5, 17), "F",
                p.studyUid(), date, LocalTime.of(9, 30), "ACC" + p.id(), "MRI BRAIN", p.seriesUid(), 3, description,
                Uids.fromName(p.studyUid() + "/frame"));
        return MrSeriesWriter.write(volume, metadata, root.resolve(folder));
    }

    static double origin(int axis) {
        return new double[] {-16, -16, -8}[axis];
    }

    private static void everySlice(List<Path> files, ListEdit edit) throws Exception {
        for (Path f : files) {
            edit(f, edit);
        }
    }

    /** Reads a Part 10 file with PixelMed, applies the edit, writes it back with a fresh meta header. */
    static void edit(Path file, ListEdit edit) throws Exception {
        AttributeList list = new AttributeList();
        list.read(file.toFile());
        edit.apply(list);
        String sopInstance = text(list, TagFromName.SOPInstanceUID);
        list.removeGroupLengthAttributes();
        list.removeMetaInformationHeaderAttributes();
        if (sopInstance.isEmpty()) {
            // FileMetaInformation needs the UID; the meta header keeps one while the data set has none.
            FileMetaInformation meta = new FileMetaInformation(text(list, TagFromName.SOPClassUID),
                    Uids.fromName(file.toString()), TransferSyntax.ExplicitVRLittleEndian, "BADINPUT");
            try (OutputStream out = Files.newOutputStream(file)) {
                DicomOutputStream dout = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian,
                        TransferSyntax.ExplicitVRLittleEndian);
                meta.getAttributeList().write(dout);
                list.write(dout);
                dout.flush();
            }
            return;
        }
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "BADINPUT");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    static void put(AttributeList list, AttributeTag tag, String... values) throws Exception {
        Attribute attribute = list.putNewAttribute(tag);
        for (String v : values) {
            attribute.addValue(v);
        }
    }

    static void putDecimals(AttributeList list, AttributeTag tag, double... values) throws Exception {
        String[] text = new String[values.length];
        for (int n = 0; n < values.length; n++) {
            text[n] = values[n] == Math.rint(values[n]) ? Long.toString((long) values[n]) : Double.toString(values[n]);
        }
        put(list, tag, text);
    }

    static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    static AttributeTag tag(String keyword) {
        return DicomDictionary.StandardDictionary.getTagFromName(keyword);
    }

    private static void writeStructuredReport(Patient p, Path file) throws Exception {
        AttributeList list = new AttributeList();
        put(list, TagFromName.SOPClassUID, SOPClass.ComprehensiveSRStorage);
        put(list, TagFromName.SOPInstanceUID, Uids.fromName(p.seriesUid() + "/sr"));
        put(list, TagFromName.StudyInstanceUID, p.studyUid());
        put(list, TagFromName.SeriesInstanceUID, p.seriesUid());
        put(list, TagFromName.PatientName, p.name());
        put(list, TagFromName.PatientID, p.id());
        put(list, TagFromName.Modality, "SR");
        put(list, TagFromName.ValueType, "CONTAINER");
        put(list, TagFromName.CompletionFlag, "COMPLETE");
        put(list, TagFromName.VerificationFlag, "UNVERIFIED");
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "BADINPUT");
        list.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    // ---- byte level: explicit VR little endian files as MrSeriesWriter writes them (no sequences) ----

    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
            "UR", "UT", "UV");

    /** Offset of the first data set element: after the preamble, "DICM" and the meta group. */
    static int dataSetStart(byte[] b) {
        // (0002,0000) UL 4 <group length> sits right after "DICM".
        int groupLength = ByteBuffer.wrap(b, 140, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return 144 + groupLength;
    }

    /** Offset of an element's header in the data set. */
    static int find(byte[] b, AttributeTag tag) {
        int o = dataSetStart(b);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        while (o + 8 <= b.length) {
            int group = buf.getShort(o) & 0xFFFF;
            int element = buf.getShort(o + 2) & 0xFFFF;
            String vr = new String(b, o + 4, 2, StandardCharsets.US_ASCII);
            if (group == tag.getGroup() && element == tag.getElement()) {
                return o;
            }
            o += LONG_VRS.contains(vr) ? 12 + buf.getInt(o + 8) : 8 + (buf.getShort(o + 6) & 0xFFFF);
        }
        throw new IllegalArgumentException("no " + tag + " in the file");
    }

    static byte[] withLength16(byte[] good, AttributeTag tag, int length) {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(find(b, tag) + 6, (short) length);
        return b;
    }

    static byte[] withLength32(byte[] good, AttributeTag tag, int length) {
        byte[] b = good.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(find(b, tag) + 8, length);
        return b;
    }

    /**
     * The same object under a compressed transfer syntax: a new meta header naming it, the data set's attributes
     * unchanged, and PixelData encapsulated (empty offset table, one fragment that starts like a real codestream).
     */
    static byte[] encapsulated(Path file, String transferSyntax, byte[] codestreamStart) throws Exception {
        byte[] good = Files.readAllBytes(file);
        AttributeList source = new AttributeList();
        source.read(file.toFile());
        String sopClass = text(source, TagFromName.SOPClassUID);
        String sopInstance = text(source, TagFromName.SOPInstanceUID);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DicomOutputStream dout = new DicomOutputStream(out, TransferSyntax.ExplicitVRLittleEndian, null);
        new FileMetaInformation(sopClass, sopInstance, transferSyntax, "BADINPUT").getAttributeList().write(dout);
        dout.flush();
        int pixelData = find(good, TagFromName.PixelData);
        out.write(good, dataSetStart(good), pixelData - dataSetStart(good));
        byte[] fragment = Arrays.copyOf(codestreamStart, 64);
        ByteBuffer tail = ByteBuffer.allocate(12 + 8 + 8 + fragment.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        tail.putShort((short) 0x7FE0).putShort((short) 0x0010).put("OB".getBytes(StandardCharsets.US_ASCII))
                .putShort((short) 0).putInt(0xFFFFFFFF);
        tail.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(0); // basic offset table, empty
        tail.putShort((short) 0xFFFE).putShort((short) 0xE000).putInt(fragment.length).put(fragment);
        tail.putShort((short) 0xFFFE).putShort((short) 0xE0DD).putInt(0); // sequence delimiter
        out.write(tail.array());
        return out.toByteArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
