package org.neurostream.imaging;

/**
 * One greyscale DICOM image with its geometry and rescaled pixel values.
 *
 * @param pixelSpacing      DICOM PixelSpacing: [0] between rows (along the column direction), [1] between columns
 * @param imagePosition     ImagePositionPatient: LPS mm of the first transmitted pixel's centre
 * @param imageOrientation  ImageOrientationPatient: row direction cosines then column direction cosines
 * @param sliceThickness    SliceThickness in mm, NaN when absent
 * @param instanceNumber    InstanceNumber, or 0 when absent
 * @param pixels            Rows x Columns values with RescaleSlope/Intercept applied, row by row
 *                          (value of row r, column c at {@code c + columns * r})
 */
public record DicomSlice(String sopClassUid, String sopInstanceUid, String studyInstanceUid,
        String seriesInstanceUid, String frameOfReferenceUid, int instanceNumber, int rows, int columns,
        double[] pixelSpacing, double[] imagePosition, double[] imageOrientation, double sliceThickness,
        float[] pixels) {

    public double[] rowDirection() {
        return new double[] {imageOrientation[0], imageOrientation[1], imageOrientation[2]};
    }

    public double[] columnDirection() {
        return new double[] {imageOrientation[3], imageOrientation[4], imageOrientation[5]};
    }

    /** Row direction x column direction: the direction in which a right-handed stack of these slices grows. */
    public double[] normal() {
        double[] r = rowDirection();
        double[] c = columnDirection();
        return new double[] {r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]};
    }

    /** Position of the slice along its normal (mm). */
    public double positionAlongNormal() {
        double[] n = normal();
        return n[0] * imagePosition[0] + n[1] * imagePosition[1] + n[2] * imagePosition[2];
    }
}
