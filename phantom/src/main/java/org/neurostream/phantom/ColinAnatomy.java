package org.neurostream.phantom;

import org.neurostream.imaging.Colin27;
import org.neurostream.imaging.IntensityClusters;
import org.neurostream.imaging.Reorienter;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.DistanceTransform;

/**
 * The real anatomy behind the Colin27 phantoms: Debian's Colin27 T1 in LPS voxel order, its brain (Debian's
 * brain-extracted ch2bet) and tissue labels inside the brain by 3-class k-means of the T1 (CSF, grey, white), with
 * the CSF deeper than {@value #VENTRICLE_DEPTH_MM} mm inside the brain counted as ventricles. These labels are the
 * phantoms' ground truth by construction: phantom brains are rendered from them.
 */
final class ColinAnatomy {
    static final int CSF = 1;
    static final int GREY = 2;
    static final int WHITE = 3;
    static final int VENTRICLE = 4;
    static final double VENTRICLE_DEPTH_MM = 15;

    private static final java.util.Map<Double, ColinAnatomy> LOADED = new java.util.HashMap<>();

    final Volume t1;
    final Volume labels;
    /** Mean T1 of each label (index = label). */
    final double[] t1Means = new double[5];

    private ColinAnatomy(Volume t1, Volume labels) {
        this.t1 = t1;
        this.labels = labels;
        long[] count = new long[5];
        for (int n = 0; n < t1.voxelCount(); n++) {
            int label = (int) labels.data()[n];
            t1Means[label] += t1.data()[n];
            count[label]++;
        }
        for (int l = 0; l < 5; l++) {
            t1Means[l] /= Math.max(1, count[l]);
        }
    }

    /** Colin27 at its own 1 mm. */
    static ColinAnatomy load() {
        return load(1.0);
    }

    /**
     * Colin27 on an isotropic grid of {@code spacingMm} covering the same box: labels are found at 1 mm and then
     * taken by nearest neighbour, so a coarse anatomy has the same tissue classes (used to make training pairs fast).
     */
    static synchronized ColinAnatomy load(double spacingMm) {
        ColinAnatomy anatomy = LOADED.get(spacingMm);
        if (anatomy == null) {
            ColinAnatomy full = LOADED.containsKey(1.0) ? LOADED.get(1.0) : native1mm();
            LOADED.put(1.0, full);
            anatomy = spacingMm == 1.0 ? full : coarser(full, spacingMm);
            LOADED.put(spacingMm, anatomy);
        }
        return anatomy;
    }

    private static ColinAnatomy coarser(ColinAnatomy full, double spacingMm) {
        Volume t1 = full.t1;
        double[] spacing = {spacingMm, spacingMm, spacingMm};
        int[] dims = new int[3];
        int[] n = {t1.nx(), t1.ny(), t1.nz()};
        for (int a = 0; a < 3; a++) {
            dims[a] = (int) Math.ceil(n[a] * t1.spacing()[a] / spacingMm);
        }
        Volume coarseT1 = org.neurostream.imaging.Resampler.resampleCentred(t1, dims, spacing);
        Volume labels = org.neurostream.imaging.Resampler.resampleOntoNearest(full.labels, coarseT1,
                org.neurostream.imaging.registration.RigidTransform.identity(coarseT1.centre()));
        return new ColinAnatomy(coarseT1, labels);
    }

    private static ColinAnatomy native1mm() {
        Volume t1 = Reorienter.toCanonical(Colin27.t1());
        Volume brain = Reorienter.toCanonical(Colin27.brain());
        if (brain.nx() != t1.nx() || brain.ny() != t1.ny() || brain.nz() != t1.nz()) {
            throw new IllegalStateException("Colin27 T1 and brain volumes are on different grids");
        }
        boolean[] inBrain = new boolean[brain.voxelCount()];
        boolean[] outside = new boolean[brain.voxelCount()];
        for (int n = 0; n < inBrain.length; n++) {
            inBrain[n] = brain.data()[n] > 0;
            outside[n] = !inBrain[n];
        }
        Volume labels = IntensityClusters.label(t1, inBrain, 3);
        float[] depth = DistanceTransform.squaredMm(outside, t1);
        float[] data = labels.data();
        double deep = VENTRICLE_DEPTH_MM * VENTRICLE_DEPTH_MM;
        for (int n = 0; n < data.length; n++) {
            if (data[n] == CSF && depth[n] > deep) {
                data[n] = VENTRICLE;
            }
        }
        return new ColinAnatomy(t1, labels);
    }
}
