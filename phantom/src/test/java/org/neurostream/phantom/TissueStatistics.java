package org.neurostream.phantom;

import org.neurostream.imaging.Volume;

/** Measurements the phantom tests make on label maps and images. */
final class TissueStatistics {
    /** Extent in mm (x, y, z) of all non-background labels. */
    static double[] headExtentMm(Volume labels) {
        int[] min = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] max = {-1, -1, -1};
        forEachHeadVoxel(labels, (i, j, k) -> {
            int[] index = {i, j, k};
            for (int a = 0; a < 3; a++) {
                min[a] = Math.min(min[a], index[a]);
                max[a] = Math.max(max[a], index[a]);
            }
        });
        double[] spacing = labels.spacing();
        return new double[] {
            (max[0] - min[0] + 1) * spacing[0], (max[1] - min[1] + 1) * spacing[1], (max[2] - min[2] + 1) * spacing[2]};
    }

    /** Mean patient position of the head voxels. */
    static double[] headCentreMm(Volume labels) {
        double[] sum = new double[3];
        long[] count = {0};
        forEachHeadVoxel(labels, (i, j, k) -> {
            double[] p = labels.toPatient(i, j, k);
            for (int a = 0; a < 3; a++) {
                sum[a] += p[a];
            }
            count[0]++;
        });
        return new double[] {sum[0] / count[0], sum[1] / count[0], sum[2] / count[0]};
    }

    static double meanWhere(Volume image, Volume labels, int label) {
        double sum = 0;
        long count = 0;
        for (int n = 0; n < labels.voxelCount(); n++) {
            if (labels.data()[n] == label) {
                sum += image.data()[n];
                count++;
            }
        }
        return sum / count;
    }

    /** Voxels at least 0.2 (of the normalised range) darker in the second volume than in the first. */
    static int darkenedVoxels(Volume[] visits) {
        int count = 0;
        for (int n = 0; n < visits[0].voxelCount(); n++) {
            if (visits[0].data()[n] - visits[1].data()[n] > 0.2) {
                count++;
            }
        }
        return count;
    }

    private interface VoxelVisitor {
        void visit(int i, int j, int k);
    }

    private static void forEachHeadVoxel(Volume labels, VoxelVisitor visitor) {
        for (int k = 0; k < labels.nz(); k++) {
            for (int j = 0; j < labels.ny(); j++) {
                for (int i = 0; i < labels.nx(); i++) {
                    if (labels.get(i, j, k) != TissueLabels.BACKGROUND) {
                        visitor.visit(i, j, k);
                    }
                }
            }
        }
    }

    private TissueStatistics() {
    }
}
