package org.neurostream.imaging;

/**
 * Brings a volume to the one canonical voxel order the rest of the pipeline assumes: i towards patient Left, j
 * towards Posterior, k towards Superior (LPS, DICOM's own axes). Only axes are permuted and flipped, so every
 * voxel value is kept exactly (no interpolation). An oblique acquisition keeps its small residual rotation in the
 * direction matrix: each voxel axis is matched to the patient axis it is closest to.
 */
public final class Reorienter {

    /** For each output axis (L, P, S): which input axis feeds it and whether it runs backwards. */
    public record AxisMapping(int[] sourceAxis, boolean[] flipped) {
        public boolean isIdentity() {
            for (int a = 0; a < 3; a++) {
                if (sourceAxis[a] != a || flipped[a]) {
                    return false;
                }
            }
            return true;
        }

        /** Orientation code of the input, e.g. "RAS" for a NIfTI-style volume, "LPS" when already canonical. */
        public String inputCode() {
            char[] code = new char[3];
            String positive = "LPS";
            String negative = "RAI";
            for (int out = 0; out < 3; out++) {
                code[sourceAxis[out]] = flipped[out] ? negative.charAt(out) : positive.charAt(out);
            }
            return new String(code);
        }
    }

    public static AxisMapping mapping(Volume volume) {
        double[] d = volume.direction();
        int[] source = new int[3];
        boolean[] flipped = new boolean[3];
        boolean[] used = new boolean[3];
        boolean[] assigned = new boolean[3];
        // Greedy on the largest |cosine| first, so an oblique axis cannot steal a patient axis another axis owns.
        for (int round = 0; round < 3; round++) {
            int bestIn = -1;
            int bestOut = -1;
            double best = -1;
            for (int in = 0; in < 3; in++) {
                if (used[in]) {
                    continue;
                }
                for (int out = 0; out < 3; out++) {
                    if (assigned[out]) {
                        continue;
                    }
                    double c = Math.abs(d[3 * out + in]);
                    if (c > best) {
                        best = c;
                        bestIn = in;
                        bestOut = out;
                    }
                }
            }
            used[bestIn] = true;
            source[bestOut] = bestIn;
            flipped[bestOut] = d[3 * bestOut + bestIn] < 0;
            assigned[bestOut] = true;
        }
        return new AxisMapping(source, flipped);
    }

    public static Volume toCanonical(Volume volume) {
        AxisMapping m = mapping(volume);
        if (m.isIdentity()) {
            return volume;
        }
        int[] inDims = {volume.nx(), volume.ny(), volume.nz()};
        int[] outDims = {inDims[m.sourceAxis()[0]], inDims[m.sourceAxis()[1]], inDims[m.sourceAxis()[2]]};
        double[] inSpacing = volume.spacing();
        double[] inDirection = volume.direction();
        double[] spacing = new double[3];
        double[] direction = new double[9];
        // The input index of the output voxel (0,0,0): the far end of every flipped axis.
        double[] firstVoxel = new double[3];
        for (int out = 0; out < 3; out++) {
            int in = m.sourceAxis()[out];
            spacing[out] = inSpacing[in];
            double sign = m.flipped()[out] ? -1 : 1;
            for (int r = 0; r < 3; r++) {
                direction[3 * r + out] = sign * inDirection[3 * r + in] + 0.0; // + 0.0: no negative zeros
            }
            firstVoxel[in] = m.flipped()[out] ? inDims[in] - 1 : 0;
        }
        double[] origin = volume.toPatient(firstVoxel[0], firstVoxel[1], firstVoxel[2]);
        float[] in = volume.data();
        float[] out = new float[in.length];
        // Input stride of one step along each output axis (negative when flipped).
        int[] inStride = {1, inDims[0], inDims[0] * inDims[1]};
        int[] step = new int[3];
        int start = 0;
        for (int o = 0; o < 3; o++) {
            int a = m.sourceAxis()[o];
            step[o] = m.flipped()[o] ? -inStride[a] : inStride[a];
            start += (int) firstVoxel[a] * inStride[a];
        }
        int n = 0;
        for (int k = 0; k < outDims[2]; k++) {
            for (int j = 0; j < outDims[1]; j++) {
                int at = start + k * step[2] + j * step[1];
                for (int i = 0; i < outDims[0]; i++) {
                    out[n++] = in[at];
                    at += step[0];
                }
            }
        }
        return new Volume(outDims[0], outDims[1], outDims[2], spacing, origin, direction, out);
    }

    private Reorienter() {
    }
}
