package org.neurostream.sink;

import static org.neurostream.sink.SourceImages.put;
import static org.neurostream.sink.SourceImages.putEmpty;
import static org.neurostream.sink.SourceImages.tag;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.schemas.AnalysisResult;
import org.neurostream.schemas.InstanceRef;
import org.neurostream.schemas.LabelMap;

/**
 * The key image: the follow-up FLAIR slice with the most new-lesion voxels, grey-scaled to its own range, new
 * lesions blended in red. As a Secondary Capture (for the PACS) and as PNG (for FHIR).
 */
public final class KeyImageBuilder {
    public static final String SOP_CLASS = "1.2.840.10008.5.1.4.1.1.7"; // Secondary Capture Image Storage
    public static final int SERIES_NUMBER = 9903;
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss");

    public record Built(DicomObject dicom, byte[] png) {
    }

    private final BlobStore blobs;
    private final SourceImages sources;
    private final ZoneId zone;

    public KeyImageBuilder(BlobStore blobs, ZoneId zone) {
        this.blobs = blobs;
        this.sources = new SourceImages(blobs);
        this.zone = zone;
    }

    /** Empty unless the result has new lesions with a mask. */
    public Optional<Built> build(AnalysisResult r) throws IOException, DicomException {
        if (r.getNewLesions() == null || r.getNewLesions().getMask() == null || r.getNewLesions().getCount() == 0) {
            return Optional.empty();
        }
        LabelMap mask = r.getNewLesions().getMask();
        byte[] voxels = blobs.read(mask.getBlobRef());
        int perFrame = mask.getColumns() * mask.getRows();
        int best = -1;
        int bestCount = 0;
        for (int k = 0; k < mask.getFrameSopInstanceUids().size(); k++) {
            int count = 0;
            for (int p = 0; p < perFrame; p++) {
                if (voxels[k * perFrame + p] != 0) {
                    count++;
                }
            }
            if (count > bestCount) {
                best = k;
                bestCount = count;
            }
        }
        if (best < 0) {
            return Optional.empty();
        }
        InstanceRef source = SourceImages.find(r.getCurrent(), mask.getFrameSopInstanceUids().get(best));
        AttributeList image = sources.full(source);
        int rows = Attribute.getSingleIntegerValueOrDefault(image, tag("Rows"), 0);
        int columns = Attribute.getSingleIntegerValueOrDefault(image, tag("Columns"), 0);
        if (rows != mask.getRows() || columns != mask.getColumns()) {
            throw new IllegalArgumentException("instance " + source.getSopInstanceUid() + " is " + columns + "x"
                    + rows + ", its lesion mask " + mask.getColumns() + "x" + mask.getRows());
        }
        int[] grey = greyValues(image, rows * columns, source);
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int v : grey) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double scale = max > min ? 255.0 / (max - min) : 0;
        byte[] rgb = new byte[rows * columns * 3];
        BufferedImage png = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < rows * columns; p++) {
            int g = (int) Math.round((grey[p] - min) * scale);
            int red = g;
            int green = g;
            int blue = g;
            if (voxels[best * perFrame + p] != 0) { // 60 % red over the grey
                red = (int) Math.round(0.4 * g + 0.6 * 255);
                green = (int) Math.round(0.4 * g);
                blue = green;
            }
            rgb[3 * p] = (byte) red;
            rgb[3 * p + 1] = (byte) green;
            rgb[3 * p + 2] = (byte) blue;
            png.setRGB(p % columns, p / columns, (red << 16) | (green << 8) | blue);
        }

        String sopInstanceUid = DeterministicUids.keyImageSopInstanceUid(r.getResultId());
        String seriesInstanceUid = DeterministicUids.keyImageSeriesInstanceUid(r.getResultId());
        AttributeList list = new AttributeList();
        SourceImages.copyPatientAndStudy(image, list);
        put(list, "StudyInstanceUID", r.getCurrent().getStudyInstanceUid());
        put(list, "SOPClassUID", SOP_CLASS);
        put(list, "SOPInstanceUID", sopInstanceUid);
        put(list, "Modality", "OT");
        put(list, "SeriesInstanceUID", seriesInstanceUid);
        put(list, "SeriesNumber", String.valueOf(SERIES_NUMBER));
        put(list, "SeriesDescription", "NeuroStream key image: new lesions in red");
        put(list, "ConversionType", "WSD");
        put(list, "Manufacturer", "NeuroStream");
        put(list, "InstanceNumber", "1");
        putEmpty(list, "PatientOrientation");
        putEmpty(list, "Laterality");
        ZonedDateTime created = Instant.ofEpochMilli(r.getCreatedAtMillis()).atZone(zone);
        put(list, "ContentDate", DA.format(created));
        put(list, "ContentTime", TM.format(created));
        put(list, "InstanceCreationDate", DA.format(created));
        put(list, "InstanceCreationTime", TM.format(created));
        put(list, "ImageType", "DERIVED", "SECONDARY");
        put(list, "DerivationDescription", "New lesions (machine-made, not for clinical use) blended in red");
        put(list, "BurnedInAnnotation", "NO");
        AttributeList sourceItem = new AttributeList();
        put(sourceItem, "ReferencedSOPClassUID", source.getSopClassUid());
        put(sourceItem, "ReferencedSOPInstanceUID", source.getSopInstanceUid());
        list.put(SegBuilder.single("SourceImageSequence", sourceItem));
        put(list, "SamplesPerPixel", "3");
        put(list, "PhotometricInterpretation", "RGB");
        put(list, "PlanarConfiguration", "0");
        put(list, "Rows", String.valueOf(rows));
        put(list, "Columns", String.valueOf(columns));
        put(list, "BitsAllocated", "8");
        put(list, "BitsStored", "8");
        put(list, "HighBit", "7");
        put(list, "PixelRepresentation", "0");
        OtherByteAttribute pixels = new OtherByteAttribute(tag("PixelData"));
        pixels.setValues(rgb.length % 2 == 0 ? rgb : java.util.Arrays.copyOf(rgb, rgb.length + 1));
        list.put(pixels);
        DicomObject dicom = new DicomObject("key-image", r.getCurrent().getStudyInstanceUid(), seriesInstanceUid,
                sopInstanceUid, SOP_CLASS, SourceImages.part10(list));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(png, "png", out);
        return Optional.of(new Built(dicom, out.toByteArray()));
    }

    private static int[] greyValues(AttributeList image, int n, InstanceRef source) throws DicomException {
        Attribute pixels = image.get(tag("PixelData"));
        if (pixels == null) {
            throw new IllegalArgumentException("instance " + source.getSopInstanceUid() + " has no pixel data");
        }
        int bits = Attribute.getSingleIntegerValueOrDefault(image, tag("BitsAllocated"), 16);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(image, tag("PixelRepresentation"), 0) == 1;
        int[] out = new int[n];
        if (bits == 16) {
            short[] s = pixels.getShortValues();
            for (int i = 0; i < n; i++) {
                out[i] = signed ? s[i] : s[i] & 0xffff;
            }
        } else {
            byte[] b = pixels.getByteValues();
            for (int i = 0; i < n; i++) {
                out[i] = b[i] & 0xff;
            }
        }
        return out;
    }
}
