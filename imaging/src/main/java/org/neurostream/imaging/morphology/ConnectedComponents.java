package org.neurostream.imaging.morphology;

/**
 * 6-connected components of a binary mask, labelled 1..count in order of first appearance (0 = background), with
 * each component's voxel count. Face connectivity is the conservative choice for lesions: two blobs touching only at
 * a corner count as two.
 */
public record ConnectedComponents(int[] labels, long[] sizes) {
    /** Number of components; {@code sizes()[c]} is the size of component c (index 0 unused). */
    public int count() {
        return sizes.length - 1;
    }

    public static ConnectedComponents label(boolean[] mask, int nx, int ny, int nz) {
        int[] labels = new int[mask.length];
        int[] queue = new int[mask.length];
        long[] sizes = new long[16];
        int next = 0;
        int plane = nx * ny;
        for (int seed = 0; seed < mask.length; seed++) {
            if (!mask[seed] || labels[seed] != 0) {
                continue;
            }
            next++;
            if (next >= sizes.length) {
                sizes = java.util.Arrays.copyOf(sizes, sizes.length * 2);
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            labels[seed] = next;
            while (head < tail) {
                int n = queue[head++];
                int i = n % nx;
                int j = (n / nx) % ny;
                int k = n / plane;
                if (i > 0) {
                    tail = visit(mask, labels, queue, tail, n - 1, next);
                }
                if (i < nx - 1) {
                    tail = visit(mask, labels, queue, tail, n + 1, next);
                }
                if (j > 0) {
                    tail = visit(mask, labels, queue, tail, n - nx, next);
                }
                if (j < ny - 1) {
                    tail = visit(mask, labels, queue, tail, n + nx, next);
                }
                if (k > 0) {
                    tail = visit(mask, labels, queue, tail, n - plane, next);
                }
                if (k < nz - 1) {
                    tail = visit(mask, labels, queue, tail, n + plane, next);
                }
            }
            sizes[next] = tail;
        }
        return new ConnectedComponents(labels, java.util.Arrays.copyOf(sizes, next + 1));
    }

    private static int visit(boolean[] mask, int[] labels, int[] queue, int tail, int n, int label) {
        if (mask[n] && labels[n] == 0) {
            labels[n] = label;
            queue[tail++] = n;
        }
        return tail;
    }
}
