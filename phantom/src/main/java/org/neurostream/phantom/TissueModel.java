package org.neurostream.phantom;

/**
 * Partial-volume tissue fractions of one visit at any patient point. Each boundary is a surface along rays from
 * the head centre; a voxel's fraction inside it ramps linearly over one voxel width of signed distance, which
 * gives smooth partial-volume edges without supersampling.
 */
final class TissueModel {
    /** Width (mm) over which a boundary blends: about one voxel. */
    private static final double EDGE_MM = 2.0;
    /** Width of the folding field over which a sulcus blends into cortex (about 1 mm on the surface). */
    private static final double FOLD_EDGE = 0.4;

    private final PhantomAnatomy anatomy;
    private final AtrophyState state;
    private final double[] ventricleAxes;
    private final double[] q = new double[3];
    /**
     * How a ventricle volume ratio is shared between the axes (left-right, anterior-posterior, inferior-superior):
     * enlarging ventricles mostly widen, which also makes the change show on a coarse grid.
     */
    private static final double[] VENTRICLE_GROWTH_SHARE = {0.6, 0.15, 0.25};

    TissueModel(PhantomAnatomy anatomy, AtrophyState state) {
        this.anatomy = anatomy;
        this.state = state;
        this.ventricleAxes = new double[3];
        for (int a = 0; a < 3; a++) {
            ventricleAxes[a] = anatomy.ventricleAxes()[a]
                    * Math.pow(state.ventricleRatio(), VENTRICLE_GROWTH_SHARE[a]);
        }
    }

    /** Fills {@code out} with the fractions at patient point (x, y, z); they sum to the inside-head fraction. */
    void fractionsAt(double x, double y, double z, Fractions out) {
        out.clear();
        anatomy.toHeadFrame(x, y, z, q);
        double r = Math.sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
        if (r < 1e-6) {
            out.wm = 1;
            return;
        }
        double ux = q[0] / r;
        double uy = q[1] / r;
        double uz = q[2] / r;
        double bulge = 1 + anatomy.shapeAt(ux, uy, uz);
        double headRadius = bulge / norm(ux, uy, uz, anatomy.headAxes());
        double outsideHead = r - headRadius;
        double inHead = inside(outsideHead);
        if (inHead == 0) {
            return;
        }
        double inOuterSkull = inside(outsideHead + anatomy.scalpMm());
        double inInnerSkull = inside(outsideHead + anatomy.scalpMm() + anatomy.skullMm());
        out.scalp = inHead - inOuterSkull;
        out.skull = inOuterSkull - inInnerSkull;
        if (inInnerSkull == 0) {
            return;
        }
        double brainRadius = bulge / norm(ux, uy, uz, anatomy.brainAxes());
        double inPial = Math.min(inInnerSkull, inside(r - state.pialLevel() * brainRadius));
        double inWhite = Math.min(inPial, inside(r - anatomy.greyWhiteLevel() * brainRadius));
        double cortex = inPial - inWhite;
        double sulcal = cortex > 0 ? cortex * sulcusFraction(ux, uy, uz) : 0;
        double ventricle = inWhite > 0 ? Math.min(inWhite, ventricleFraction()) : 0;
        out.csf = (inInnerSkull - inPial) + sulcal;
        out.gm = cortex - sulcal;
        out.wm = inWhite - ventricle;
        out.ventricle = ventricle;
    }

    private double sulcusFraction(double ux, double uy, double uz) {
        double excess = anatomy.foldAt(ux, uy, uz) - (anatomy.foldThreshold() - state.sulcalWidening());
        return clamp(0.5 + excess / FOLD_EDGE);
    }

    /** Union of the two lateral ventricles (mirrored in x). */
    private double ventricleFraction() {
        double[] c = anatomy.ventricleCentre();
        double right = ellipsoidInside(q[0] + c[0], q[1] - c[1], q[2] - c[2]);
        double left = ellipsoidInside(q[0] - c[0], q[1] - c[1], q[2] - c[2]);
        return Math.max(left, right);
    }

    private double ellipsoidInside(double dx, double dy, double dz) {
        double d = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (d < 1e-6) {
            return 1;
        }
        double surface = d / norm(dx, dy, dz, ventricleAxes);
        return inside(d - surface);
    }

    /** |v / axes|: 1 on the ellipsoid with those semi-axes. */
    private static double norm(double vx, double vy, double vz, double[] axes) {
        double a = vx / axes[0];
        double b = vy / axes[1];
        double c = vz / axes[2];
        return Math.sqrt(a * a + b * b + c * c);
    }

    /** Fraction of a voxel inside a surface at signed distance {@code outside} (mm, positive outside). */
    private static double inside(double outside) {
        return clamp(0.5 - outside / EDGE_MM);
    }

    private static double clamp(double value) {
        return value < 0 ? 0 : value > 1 ? 1 : value;
    }

    /** Mutable scratch holder, one per loop, so the voxel loop allocates nothing. */
    static final class Fractions {
        double scalp;
        double skull;
        double csf;
        double gm;
        double wm;
        double ventricle;

        void clear() {
            scalp = 0;
            skull = 0;
            csf = 0;
            gm = 0;
            wm = 0;
            ventricle = 0;
        }

        double parenchyma() {
            return gm + wm;
        }
    }
}
