package org.neurostream.imaging;

import java.time.LocalDate;
import java.time.LocalTime;

/** Small volumes and metadata for DICOM tests. */
final class DicomTestVolumes {
    /** 24 x 20 x 7 voxels, oblique (rotated about z and x), with smooth non-integer values including negatives. */
    static Volume oblique() {
        double a = 0.2;
        double b = 0.1;
        // Columns are the axes: R = Rz(a) * Rx(b).
        double[] direction = {
            Math.cos(a), -Math.sin(a) * Math.cos(b), Math.sin(a) * Math.sin(b),
            Math.sin(a), Math.cos(a) * Math.cos(b), -Math.cos(a) * Math.sin(b),
            0, Math.sin(b), Math.cos(b)};
        Volume volume = new Volume(24, 20, 7, new double[] {0.9, 1.1, 2.5}, new double[] {-30.25, -40.5, -12.5},
                direction, new float[24 * 20 * 7]);
        for (int k = 0; k < volume.nz(); k++) {
            for (int j = 0; j < volume.ny(); j++) {
                for (int i = 0; i < volume.nx(); i++) {
                    volume.set(i, j, k, (float) (300 * Math.sin(i * 0.3) * Math.cos(j * 0.2) + 40 * k - 50.5));
                }
            }
        }
        return volume;
    }

    static MrSeriesMetadata metadata(String seriesName) {
        return new MrSeriesMetadata("PHANTOM^TEST", "NSPH-9999", "NEUROSTREAM", LocalDate.of(1950, 3, 4), "F",
                Uids.fromName("test-study"), LocalDate.of(2025, 1, 2), LocalTime.of(9, 30, 15), "ACC0001",
                "Brain MRI", Uids.fromName(seriesName), 3, "T1 MPRAGE 3D", Uids.fromName("test-frame"));
    }

    private DicomTestVolumes() {
    }
}
