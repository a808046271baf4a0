package org.neurostream.imaging;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomDictionary;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads DICOM Part 10 files with PixelMed: whole greyscale slices, or just the header attributes. */
public final class DicomSliceReader {
    private static final int PREAMBLE_LENGTH = 128;

    /** Uncompressed transfer syntaxes PixelMed reads natively; anything else we refuse rather than guess. */
    private static final List<String> NATIVE_TRANSFER_SYNTAXES = List.of(
            TransferSyntax.ImplicitVRLittleEndian, TransferSyntax.ExplicitVRLittleEndian,
            TransferSyntax.ExplicitVRBigEndian, TransferSyntax.DeflatedExplicitVRLittleEndian);

    private static final Map<String, String> KNOWN_COMPRESSED = Map.of(
            TransferSyntax.JPEGBaseline, "JPEG Baseline",
            TransferSyntax.JPEGExtended, "JPEG Extended",
            TransferSyntax.JPEGLossless, "JPEG Lossless",
            TransferSyntax.JPEGLosslessSV1, "JPEG Lossless SV1",
            TransferSyntax.JPEGLS, "JPEG-LS Lossless",
            TransferSyntax.JPEGNLS, "JPEG-LS Near-lossless",
            TransferSyntax.JPEG2000Lossless, "JPEG 2000 Lossless",
            TransferSyntax.JPEG2000, "JPEG 2000",
            TransferSyntax.RLE, "RLE Lossless");

    /** Whether {@link #readSlice} decodes pixel data in this transfer syntax (uncompressed ones only). */
    public static boolean decodes(String transferSyntaxUid) {
        return NATIVE_TRANSFER_SYNTAXES.contains(transferSyntaxUid);
    }

    /** A readable name for a transfer syntax UID, for messages. */
    public static String transferSyntaxName(String transferSyntaxUid) {
        return KNOWN_COMPRESSED.getOrDefault(transferSyntaxUid, decodes(transferSyntaxUid) ? "uncompressed"
                : "unsupported");
    }

    /** Reads one single-frame greyscale image with its geometry; pixel values have the rescale applied. */
    public static DicomSlice readSlice(Path file) throws DicomReadException {
        String transferSyntax = readTransferSyntax(file);
        if (!NATIVE_TRANSFER_SYNTAXES.contains(transferSyntax)) {
            String name = KNOWN_COMPRESSED.getOrDefault(transferSyntax, "unsupported");
            throw new DicomReadException(file + ": compressed transfer syntax " + transferSyntax + " (" + name
                    + ") is not decoded; send uncompressed (e.g. Explicit VR Little Endian)");
        }
        Parsed parsed = readAttributes(file, null);
        AttributeList list = parsed.list();
        checkComplete(parsed, file, transferSyntax);
        int rows = requiredInt(list, TagFromName.Rows, "Rows", file);
        int columns = requiredInt(list, TagFromName.Columns, "Columns", file);
        float[] pixels = PixelDecoder.decode(list, rows, columns, file);
        return new DicomSlice(
                text(list, TagFromName.SOPClassUID), text(list, TagFromName.SOPInstanceUID),
                text(list, TagFromName.StudyInstanceUID), text(list, TagFromName.SeriesInstanceUID),
                text(list, TagFromName.FrameOfReferenceUID),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber, 0), rows, columns,
                positive(requiredDoubles(list, TagFromName.PixelSpacing, "PixelSpacing", 2, file), "PixelSpacing",
                        file),
                requiredDoubles(list, TagFromName.ImagePositionPatient, "ImagePositionPatient", 3, file),
                requiredDoubles(list, TagFromName.ImageOrientationPatient, "ImageOrientationPatient", 6, file),
                Attribute.getSingleDoubleValueOrDefault(list, TagFromName.SliceThickness, Double.NaN),
                pixels);
    }

    /**
     * Reads the header attributes only (stops before the pixel data); compressed objects are fine here. PixelMed
     * stops quietly at a cut-off element, so a file truncated inside its header gives the attributes read so far
     * (absent ones empty or 0); {@link #readCompleteHeader} and {@link #readSlice} prove a file complete.
     */
    public static DicomHeader readHeader(Path file) throws DicomReadException {
        return header(readAttributes(file, TagFromName.PixelData).list());
    }

    /**
     * Reads the header of a whole object and proves every byte of the file parses, without decoding pixels: for a
     * receiver that must judge an object before keeping it. Compressed objects are fine; the result also carries
     * the pixel data's length, so a caller can tell an absent or short one. Costs a read of the pixel data.
     */
    public static DicomHeader readCompleteHeader(Path file) throws DicomReadException {
        Parsed parsed = readAttributes(file, null);
        checkFullyParsed(parsed, file, text(parsed.list(), TagFromName.TransferSyntaxUID));
        return header(parsed.list());
    }

    private static DicomHeader header(AttributeList list) {
        Attribute pixelData = list.get(TagFromName.PixelData);
        int instanceNumber = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.InstanceNumber,
                Integer.MIN_VALUE);
        return new DicomHeader(
                text(list, TagFromName.TransferSyntaxUID), text(list, TagFromName.SOPClassUID),
                text(list, TagFromName.SOPInstanceUID), text(list, TagFromName.StudyInstanceUID),
                text(list, TagFromName.SeriesInstanceUID), text(list, TagFromName.FrameOfReferenceUID),
                text(list, TagFromName.PatientID), text(list, tag("IssuerOfPatientID")),
                text(list, TagFromName.StudyDate), text(list, TagFromName.Modality),
                text(list, TagFromName.SeriesDescription), text(list, TagFromName.ProtocolName),
                values(list, TagFromName.ImageType), values(list, tag("ScanningSequence")),
                values(list, tag("SequenceVariant")), text(list, tag("MRAcquisitionType")),
                text(list, TagFromName.BodyPartExamined),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0),
                Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0),
                doubles(list, TagFromName.PixelSpacing),
                Attribute.getSingleDoubleValueOrDefault(list, TagFromName.SliceThickness, Double.NaN),
                doubles(list, TagFromName.ImageOrientationPatient),
                doubles(list, TagFromName.ImagePositionPatient),
                instanceNumber == Integer.MIN_VALUE ? 0 : instanceNumber, instanceNumber != Integer.MIN_VALUE,
                pixelData == null ? -1 : pixelData.getVL(), expectedPixelDataLength(list));
    }

    /**
     * Bytes of native pixel data the image attributes promise (absent SamplesPerPixel or NumberOfFrames count as
     * 1); 0 when Rows, Columns or BitsAllocated are absent, or for compressed objects, whose length says nothing.
     */
    private static long expectedPixelDataLength(AttributeList list) {
        String transferSyntax = text(list, TagFromName.TransferSyntaxUID);
        if (!transferSyntax.isEmpty() && TransferSyntax.isEncapsulated(transferSyntax)) {
            return 0;
        }
        long rows = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Rows, 0);
        long columns = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Columns, 0);
        long samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        long bits = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        long frames = Math.max(1, Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1));
        return (rows * columns * samples * bits * frames + 7) / 8;
    }

    /** A tag by keyword from the standard dictionary (TagFromName lacks some, e.g. ScanningSequence). */
    static AttributeTag tag(String keyword) {
        AttributeTag tag = DicomDictionary.StandardDictionary.getTagFromName(keyword);
        if (tag == null) {
            throw new IllegalArgumentException("unknown DICOM keyword " + keyword);
        }
        return tag;
    }

    private static String readTransferSyntax(Path file) throws DicomReadException {
        checkPart10Prefix(file);
        try {
            AttributeList meta = new AttributeList();
            meta.readOnlyMetaInformationHeader(file.toFile());
            String uid = text(meta, TagFromName.TransferSyntaxUID);
            if (uid.isEmpty()) {
                throw new DicomReadException(file + ": file meta information has no TransferSyntaxUID");
            }
            return uid;
        } catch (IOException | DicomException | RuntimeException e) {
            throw new DicomReadException(file + ": unreadable file meta information: " + typeOf(e), e);
        }
    }

    /** What PixelMed parsed, and how many bytes it consumed (it logs and stops quietly at a cut-off value). */
    private record Parsed(AttributeList list, long bytesRead) {
    }

    /** A slice needs all its bytes and a pixel data element; a missing one most likely means a cut. */
    private static void checkComplete(Parsed parsed, Path file, String transferSyntax)
            throws DicomReadException {
        checkFullyParsed(parsed, file, transferSyntax);
        AttributeList list = parsed.list();
        Attribute pixelData = list.get(TagFromName.PixelData);
        if (pixelData == null || pixelData.getVL() == 0) {
            AttributeTag last = list.isEmpty() ? null : list.lastKey();
            throw new DicomReadException(file + ": no pixel data (7FE0,0010); the object ends after " + last
                    + " (truncated, or not an image)");
        }
    }

    /**
     * PixelMed stops quietly where a file is cut off or stops making sense, so a truncated or corrupt object looks
     * like a shorter one: compare the bytes read with the file size.
     */
    private static void checkFullyParsed(Parsed parsed, Path file, String transferSyntax)
            throws DicomReadException {
        try {
            long size = Files.size(file);
            long read = parsed.bytesRead();
            // A deflated data set counts inflated bytes, which says nothing against the file size.
            boolean deflated = transferSyntax.equals(TransferSyntax.DeflatedExplicitVRLittleEndian);
            if (!deflated && read < size) {
                throw new DicomReadException(file + ": truncated or malformed DICOM object: parsing stopped at byte "
                        + read + " of " + size);
            }
        } catch (IOException e) {
            throw new DicomReadException(file + ": cannot read file: " + describe(e), e);
        }
    }

    private static Parsed readAttributes(Path file, AttributeTag stopAt) throws DicomReadException {
        checkPart10Prefix(file);
        AttributeList list = new AttributeList();
        // PixelMed would otherwise decompress encapsulated pixel data while reading, and throw for a codec it lacks
        // (JPEG 2000): a header read must not depend on codecs, and readSlice refuses compressed data itself.
        list.setDecompressPixelData(false);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                DicomInputStream in = new DicomInputStream(raw)) {
            long bytesRead = stopAt == null ? list.read(in) : list.read(in, stopAt);
            return new Parsed(list, bytesRead);
        } catch (IOException | DicomException | RuntimeException e) {
            // PixelMed reports a cut-off file as EOFException or as odd runtime errors; either way it is damaged.
            throw new DicomReadException(file + ": malformed or truncated DICOM object: " + typeOf(e), e);
        }
    }

    /** Part 10 files carry "DICM" after a 128-byte preamble; without it the bytes are not a DICOM file. */
    private static void checkPart10Prefix(Path file) throws DicomReadException {
        byte[] head = new byte[PREAMBLE_LENGTH + 4];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new DicomReadException(file + ": cannot read file: " + describe(e), e);
        }
        String magic = new String(head, PREAMBLE_LENGTH, Math.max(0, read - PREAMBLE_LENGTH),
                StandardCharsets.US_ASCII);
        if (read < head.length || !magic.equals("DICM")) {
            throw new DicomReadException(file + ": not a DICOM Part 10 file (no 'DICM' prefix after the "
                    + "128-byte preamble; " + read + " bytes examined)");
        }
    }

    private static int requiredInt(AttributeList list, AttributeTag tag, String name, Path file)
            throws DicomReadException {
        int value = Attribute.getSingleIntegerValueOrDefault(list, tag, -1);
        if (value <= 0) {
            throw new DicomReadException(file + ": missing or invalid " + name);
        }
        return value;
    }

    private static double[] requiredDoubles(AttributeList list, AttributeTag tag, String name, int count,
            Path file) throws DicomReadException {
        double[] values = doubles(list, tag);
        if (values.length != count) {
            throw new DicomReadException(file + ": " + name + " needs " + count + " values, found "
                    + Arrays.toString(values));
        }
        return values;
    }

    /** A zero, negative or NaN spacing would give a volume with no physical extent, or a mirrored one. */
    private static double[] positive(double[] values, String name, Path file) throws DicomReadException {
        for (double v : values) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new DicomReadException(file + ": invalid " + name + " " + Arrays.toString(values)
                        + " (must be positive)");
            }
        }
        return values;
    }

    static String text(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag).trim();
    }

    private static List<String> values(AttributeList list, AttributeTag tag) {
        String[] values = Attribute.getStringValues(list, tag);
        return values == null ? List.of() : Arrays.stream(values).map(String::trim).toList();
    }

    private static double[] doubles(AttributeList list, AttributeTag tag) {
        double[] values = Attribute.getDoubleValues(list, tag);
        return values == null ? new double[0] : values;
    }

    /** For parse failures: PixelMed's messages may quote element values (a patient id), which must not be logged. */
    private static String typeOf(Exception e) {
        return e.getClass().getSimpleName();
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    private DicomSliceReader() {
    }
}
