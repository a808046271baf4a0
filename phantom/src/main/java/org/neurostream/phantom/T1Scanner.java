package org.neurostream.phantom;

import java.util.Random;
import org.neurostream.imaging.Volume;

/**
 * Turns tissue fractions into a T1-weighted (MPRAGE-like) image: WM brightest, GM mid, CSF dark, scalp fat bright,
 * bone dark; then a smooth multiplicative bias field, a global intensity drift and Rician noise.
 */
final class T1Scanner {
    static final double WM = 800;
    static final double GM = 500;
    static final double CSF = 140;
    static final double SCALP = 600;
    static final double SKULL = 70;
    /** Noise standard deviation of each of the two quadrature channels (Rician magnitude). */
    static final double NOISE_SIGMA = 18;

    /** The volumes that a visit's fractions add up to, in millilitres. */
    record TissueVolumes(double parenchymaMl, double ventricleMl) {
    }

    /** A rendered visit and its true tissue volumes. */
    record Scan(Volume t1, TissueVolumes volumes) {
    }

    static Scan scan(PhantomAnatomy anatomy, AtrophyState state, Random random) {
        Volume volume = PhantomGrid.empty();
        BiasField bias = BiasField.random(random);
        double drift = 1 + Seeds.uniform(random, -0.05, 0.05);
        TissueModel model = new TissueModel(anatomy, state);
        TissueModel.Fractions f = new TissueModel.Fractions();
        double parenchyma = 0;
        double ventricles = 0;
        float[] data = volume.data();
        for (int k = 0; k < volume.nz(); k++) {
            for (int j = 0; j < volume.ny(); j++) {
                for (int i = 0; i < volume.nx(); i++) {
                    double[] p = volume.toPatient(i, j, k);
                    model.fractionsAt(p[0], p[1], p[2], f);
                    parenchyma += f.parenchyma();
                    ventricles += f.ventricle;
                    double signal = f.wm * WM + f.gm * GM + (f.csf + f.ventricle) * CSF + f.scalp * SCALP
                            + f.skull * SKULL;
                    signal *= drift * bias.at(p[0], p[1], p[2]);
                    // Rician: the magnitude of a complex signal with Gaussian noise on both channels.
                    double real = signal + NOISE_SIGMA * random.nextGaussian();
                    double imaginary = NOISE_SIGMA * random.nextGaussian();
                    data[volume.index(i, j, k)] = (float) Math.sqrt(real * real + imaginary * imaginary);
                }
            }
        }
        double ml = PhantomGrid.voxelMillilitres();
        return new Scan(volume, new TissueVolumes(parenchyma * ml, ventricles * ml));
    }

    /** Tissue volumes without rendering, sampling every {@code stride}-th voxel per axis (for calibration). */
    static TissueVolumes measure(PhantomAnatomy anatomy, AtrophyState state, int stride) {
        Volume grid = PhantomGrid.empty();
        TissueModel model = new TissueModel(anatomy, state);
        TissueModel.Fractions f = new TissueModel.Fractions();
        double parenchyma = 0;
        double ventricles = 0;
        for (int k = 0; k < grid.nz(); k += stride) {
            for (int j = 0; j < grid.ny(); j += stride) {
                for (int i = 0; i < grid.nx(); i += stride) {
                    double[] p = grid.toPatient(i, j, k);
                    model.fractionsAt(p[0], p[1], p[2], f);
                    parenchyma += f.parenchyma();
                    ventricles += f.ventricle;
                }
            }
        }
        double ml = PhantomGrid.voxelMillilitres() * stride * stride * stride;
        return new TissueVolumes(parenchyma * ml, ventricles * ml);
    }

    /** A smooth receive-coil shading: linear gradients plus a radial term, within about +-10%. */
    record BiasField(double gx, double gy, double gz, double radial) {
        static BiasField random(Random random) {
            return new BiasField(Seeds.uniform(random, -0.06, 0.06), Seeds.uniform(random, -0.06, 0.06),
                    Seeds.uniform(random, -0.06, 0.06), Seeds.uniform(random, -0.05, 0.05));
        }

        double at(double x, double y, double z) {
            // Coordinates normalised by 100 mm, roughly the head's half-size.
            double u = x / 100;
            double v = y / 100;
            double w = z / 100;
            return 1 + gx * u + gy * v + gz * w + radial * (u * u + v * v + w * w);
        }
    }

    private T1Scanner() {
    }
}
