package org.neurostream.imaging.registration;

import java.util.Arrays;

/**
 * A rigid motion of patient space (LPS, millimetres) that maps a point of the <b>fixed</b> image to the
 * corresponding point of the <b>moving</b> image: {@code q = R (p - c) + c + t}.
 *
 * <p>Convention: {@code R = Rz(rz) * Ry(ry) * Rx(rx)}, active right-handed rotations in degrees about the patient
 * x (L), y (P) and z (S) axes, applied x first. {@code c} is the centre of rotation and {@code t} the translation
 * in mm, so {@code t} is how far the centre itself moves. Because the mapping goes fixed → moving, resampling the
 * moving image at {@code apply(p)} for every fixed voxel p brings it onto the fixed grid.
 */
public final class RigidTransform {
    private final double[] anglesDeg;
    private final double[] translation;
    private final double[] centre;
    /** Row-major 3x3 rotation and the offset of the equivalent form q = M p + b, cached for speed. */
    private final double[] matrix;
    private final double[] offset;

    private RigidTransform(double[] anglesDeg, double[] translation, double[] centre) {
        this.anglesDeg = anglesDeg.clone();
        this.translation = translation.clone();
        this.centre = centre.clone();
        this.matrix = rotationMatrix(anglesDeg);
        this.offset = new double[3];
        for (int r = 0; r < 3; r++) {
            offset[r] = centre[r] + translation[r]
                    - (matrix[3 * r] * centre[0] + matrix[3 * r + 1] * centre[1] + matrix[3 * r + 2] * centre[2]);
        }
    }

    /**
     * @param rxDeg rotation about the patient x axis (degrees), applied first
     * @param ryDeg rotation about y, applied second
     * @param rzDeg rotation about z, applied last
     * @param translationMm movement of the centre (mm)
     * @param centre centre of rotation (patient mm)
     */
    public static RigidTransform of(double rxDeg, double ryDeg, double rzDeg, double[] translationMm,
            double[] centre) {
        check3(translationMm, "translation");
        check3(centre, "centre");
        return new RigidTransform(new double[] {rxDeg, ryDeg, rzDeg}, translationMm, centre);
    }

    /** The six parameters {rx, ry, rz (degrees), tx, ty, tz (mm)} about {@code centre}. */
    public static RigidTransform fromParameters(double[] parameters, double[] centre) {
        if (parameters.length != 6) {
            throw new IllegalArgumentException("need 6 parameters, got " + parameters.length);
        }
        return of(parameters[0], parameters[1], parameters[2],
                new double[] {parameters[3], parameters[4], parameters[5]}, centre);
    }

    public static RigidTransform identity(double[] centre) {
        return of(0, 0, 0, new double[3], centre);
    }

    public static RigidTransform translation(double[] translationMm) {
        return of(0, 0, 0, translationMm, new double[3]);
    }

    /**
     * The transform {@code q = M p + b} for a rotation matrix M (row-major, orthonormal, det +1), expressed about
     * {@code centre}.
     */
    public static RigidTransform fromMatrix(double[] rotation, double[] offset, double[] centre) {
        if (rotation.length != 9) {
            throw new IllegalArgumentException("rotation needs 9 values");
        }
        check3(offset, "offset");
        check3(centre, "centre");
        double[] angles = eulerAngles(rotation);
        double[] t = new double[3];
        for (int r = 0; r < 3; r++) {
            // Same point mapping about another centre: t = M c + b - c.
            t[r] = rotation[3 * r] * centre[0] + rotation[3 * r + 1] * centre[1] + rotation[3 * r + 2] * centre[2]
                    + offset[r] - centre[r];
        }
        return new RigidTransform(angles, t, centre);
    }

    /** Maps a fixed-image point to the moving image. */
    public double[] apply(double[] p) {
        double[] q = new double[3];
        apply(p[0], p[1], p[2], q);
        return q;
    }

    /** Allocation-free form of {@link #apply(double[])} for inner loops. */
    public void apply(double x, double y, double z, double[] out) {
        out[0] = matrix[0] * x + matrix[1] * y + matrix[2] * z + offset[0];
        out[1] = matrix[3] * x + matrix[4] * y + matrix[5] * z + offset[1];
        out[2] = matrix[6] * x + matrix[7] * y + matrix[8] * z + offset[2];
    }

    /** {@code this ∘ inner}: apply {@code inner} first, then this; expressed about this transform's centre. */
    public RigidTransform compose(RigidTransform inner) {
        double[] m = new double[9];
        double[] b = new double[3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 3; k++) {
                    m[3 * r + c] += matrix[3 * r + k] * inner.matrix[3 * k + c];
                }
            }
            b[r] = matrix[3 * r] * inner.offset[0] + matrix[3 * r + 1] * inner.offset[1]
                    + matrix[3 * r + 2] * inner.offset[2] + offset[r];
        }
        return fromMatrix(m, b, centre);
    }

    /** The reverse mapping (moving → fixed), expressed about this transform's centre. */
    public RigidTransform inverse() {
        double[] mt = new double[9];
        double[] b = new double[3];
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                mt[3 * r + c] = matrix[3 * c + r];
            }
        }
        for (int r = 0; r < 3; r++) {
            b[r] = -(mt[3 * r] * offset[0] + mt[3 * r + 1] * offset[1] + mt[3 * r + 2] * offset[2]);
        }
        return fromMatrix(mt, b, centre);
    }

    /** The same point mapping with its parameters expressed about another centre (angles unchanged). */
    public RigidTransform withCentre(double[] newCentre) {
        check3(newCentre, "centre");
        double[] t = new double[3];
        for (int r = 0; r < 3; r++) {
            t[r] = matrix[3 * r] * newCentre[0] + matrix[3 * r + 1] * newCentre[1] + matrix[3 * r + 2] * newCentre[2]
                    + offset[r] - newCentre[r];
        }
        return new RigidTransform(anglesDeg, t, newCentre);
    }

    /** The angle of the single rotation (axis-angle form) equivalent to R, in degrees, 0..180. */
    public double rotationAngleDegrees() {
        double cos = (matrix[0] + matrix[4] + matrix[8] - 1) / 2;
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    }

    /** Length of the translation in mm: how far the centre moves (depends on the centre for rotations). */
    public double translationMagnitude() {
        return Math.sqrt(translation[0] * translation[0] + translation[1] * translation[1]
                + translation[2] * translation[2]);
    }

    /** Distance (mm) between where this and {@code other} map the point p. */
    public double displacementDifference(RigidTransform other, double[] p) {
        double[] a = apply(p);
        double[] b = other.apply(p);
        return Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }

    /** {rx, ry, rz} in degrees (see the class comment for the convention). */
    public double[] anglesDegrees() {
        return anglesDeg.clone();
    }

    public double[] translationMm() {
        return translation.clone();
    }

    public double[] centre() {
        return centre.clone();
    }

    /** {rx, ry, rz, tx, ty, tz}, the form {@link #fromParameters} takes. */
    public double[] parameters() {
        return new double[] {anglesDeg[0], anglesDeg[1], anglesDeg[2], translation[0], translation[1],
            translation[2]};
    }

    /** Row-major 3x3 rotation matrix R. */
    public double[] rotationMatrix() {
        return matrix.clone();
    }

    /** b of the equivalent form q = R p + b. */
    public double[] offset() {
        return offset.clone();
    }

    static double[] rotationMatrix(double[] anglesDeg) {
        return rotationMatrixRadians(Math.toRadians(anglesDeg[0]), Math.toRadians(anglesDeg[1]),
                Math.toRadians(anglesDeg[2]));
    }

    /** Row-major Rz(rz) * Ry(ry) * Rx(rx), angles in radians: the one rotation convention of the project. */
    public static double[] rotationMatrixRadians(double rx, double ry, double rz) {
        double ca = Math.cos(rx);
        double sa = Math.sin(rx);
        double cb = Math.cos(ry);
        double sb = Math.sin(ry);
        double cg = Math.cos(rz);
        double sg = Math.sin(rz);
        // Rz(g) * Ry(b) * Rx(a), multiplied out.
        return new double[] {
            cg * cb, cg * sb * sa - sg * ca, cg * sb * ca + sg * sa,
            sg * cb, sg * sb * sa + cg * ca, sg * sb * ca - cg * sa,
            -sb, cb * sa, cb * ca,
        };
    }

    /** Inverse of {@link #rotationMatrix}: angles with ry in [-90, 90]. */
    static double[] eulerAngles(double[] m) {
        double cb = Math.hypot(m[0], m[3]);
        double ry = Math.atan2(-m[6], cb);
        double rx;
        double rz;
        if (cb > 1e-9) {
            rx = Math.atan2(m[7], m[8]);
            rz = Math.atan2(m[3], m[0]);
        } else {
            // Gimbal lock (ry = ±90°): only rx ∓ rz is defined; put it all in rx.
            rx = Math.atan2(-m[5], m[4]);
            rz = 0;
        }
        return new double[] {Math.toDegrees(rx), Math.toDegrees(ry), Math.toDegrees(rz)};
    }

    private static void check3(double[] v, String name) {
        if (v.length != 3) {
            throw new IllegalArgumentException(name + " needs 3 values");
        }
    }

    @Override
    public String toString() {
        return String.format("RigidTransform[rot %.3f, %.3f, %.3f deg; trans %.3f, %.3f, %.3f mm; centre %s]",
                anglesDeg[0], anglesDeg[1], anglesDeg[2], translation[0], translation[1], translation[2],
                Arrays.toString(centre));
    }
}
