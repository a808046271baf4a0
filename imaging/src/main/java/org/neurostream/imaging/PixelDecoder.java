package org.neurostream.imaging;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Path;

/** Turns the stored pixel cells of a greyscale single-frame image into rescaled float values. */
final class PixelDecoder {

    static float[] decode(AttributeList list, int rows, int columns, Path file) throws DicomReadException {
        Attribute pixelData = list.get(TagFromName.PixelData);
        if (pixelData == null || pixelData.getVL() == 0) {
            throw new DicomReadException(file + ": no pixel data (7FE0,0010)");
        }
        int samples = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.SamplesPerPixel, 1);
        if (samples != 1) {
            throw new DicomReadException(file + ": " + samples + " samples per pixel; only greyscale is read");
        }
        int frames = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.NumberOfFrames, 1);
        if (frames != 1) {
            throw new DicomReadException(file + ": multi-frame object (" + frames + " frames) is not read");
        }
        int bitsAllocated = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsAllocated, 0);
        int bitsStored = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.BitsStored, bitsAllocated);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.PixelRepresentation, 0) == 1;
        // Rows and Columns may be anything up to 65535 each: check their product against the pixel data present
        // before allocating for it (an int product overflows, a large one exhausts the heap). See module fuzz.
        long cellCount = (long) rows * columns;
        if (cellCount > Integer.MAX_VALUE || cellCount * Math.max(1, bitsAllocated / 8) > pixelData.getVL()) {
            throw new DicomReadException(file + ": pixel data holds " + pixelData.getVL() + " bytes but Rows x "
                    + "Columns needs " + cellCount + " cells of " + bitsAllocated + " bits (truncated?)");
        }
        int count = (int) cellCount;
        int[] raw = cells(pixelData, bitsAllocated, count, file);
        double slope = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleSlope, 1.0);
        double intercept = Attribute.getSingleDoubleValueOrDefault(list, TagFromName.RescaleIntercept, 0.0);
        float[] out = new float[count];
        int unused = 32 - bitsStored;
        for (int n = 0; n < count; n++) {
            // Keep only the stored bits: sign-extend them for signed pixels, mask them for unsigned ones.
            int value = signed ? (raw[n] << unused) >> unused : raw[n] & (int) ((1L << bitsStored) - 1);
            out[n] = (float) (value * slope + intercept);
        }
        return out;
    }

    private static int[] cells(Attribute pixelData, int bitsAllocated, int count, Path file)
            throws DicomReadException {
        try {
            int[] raw = new int[count];
            if (bitsAllocated == 16) {
                short[] words = pixelData.getShortValues();
                requireLength(words.length, count, file);
                for (int n = 0; n < count; n++) {
                    raw[n] = words[n];
                }
            } else if (bitsAllocated == 8) {
                byte[] bytes = pixelData instanceof OtherByteAttribute ? pixelData.getByteValues()
                        : pixelData.getByteValues(false);
                requireLength(bytes.length, count, file);
                for (int n = 0; n < count; n++) {
                    raw[n] = bytes[n];
                }
            } else {
                throw new DicomReadException(file + ": BitsAllocated " + bitsAllocated
                        + " is not supported (8 or 16)");
            }
            return raw;
        } catch (DicomException e) {
            throw new DicomReadException(file + ": unreadable pixel data: " + e.getClass().getSimpleName(), e);
        }
    }

    private static void requireLength(int actual, int needed, Path file) throws DicomReadException {
        if (actual < needed) {
            throw new DicomReadException(file + ": pixel data holds " + actual + " values but Rows x Columns "
                    + "needs " + needed + " (truncated?)");
        }
    }

    private PixelDecoder() {
    }
}
