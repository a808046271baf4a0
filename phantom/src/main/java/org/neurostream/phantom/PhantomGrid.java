package org.neurostream.phantom;

import org.neurostream.imaging.Volume;

/** The acquisition grid of every phantom: axial, 2 x 2 mm in-plane, 2.5 mm slices, centred on the origin. */
final class PhantomGrid {
    static final int NX = 128;
    static final int NY = 128;
    static final int NZ = 80;
    static final double[] SPACING = {2.0, 2.0, 2.5};

    /** Axial slices (rows along +x patient left, columns along +y posterior); field of view 256 x 256 x 200 mm. */
    static Volume empty() {
        double[] origin = new double[3];
        int[] dims = {NX, NY, NZ};
        for (int a = 0; a < 3; a++) {
            origin[a] = -SPACING[a] * (dims[a] - 1) / 2.0;
        }
        return Volume.zeros(NX, NY, NZ, SPACING, origin);
    }

    static double voxelMillilitres() {
        return SPACING[0] * SPACING[1] * SPACING[2] / 1000.0;
    }

    private PhantomGrid() {
    }
}
