package org.neurostream.processor.analysis;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.neurostream.blobstore.BlobStore;
import org.neurostream.imaging.Volume;
import org.neurostream.schemas.LabelMap;

/**
 * A series as it is stored: the grid {@code SeriesAssembler} stacked it on (i along the rows' direction, j along
 * the columns', k = frames by position along the slice normal) and the SOP Instance UID of each frame in that k
 * order. Models work on the canonical (LPS) grid {@code Reorienter} makes of it; their label maps come back here,
 * voxel for voxel, so that a SEG can reference each source frame one to one.
 *
 * @param grid                  the assembled volume (only its geometry is used)
 * @param frameSopInstanceUids  the source instance of each k slice, as the series event names it
 */
public record StoredGrid(Volume grid, List<String> frameSopInstanceUids) {
    /** How far a mapped voxel may lie from a whole index (the grids differ only by axis permutation and flips). */
    private static final double INDEX_TOLERANCE = 1e-3;

    public StoredGrid {
        frameSopInstanceUids = List.copyOf(frameSopInstanceUids);
        if (frameSopInstanceUids.size() != grid.nz()) {
            throw new IllegalArgumentException(frameSopInstanceUids.size() + " frame UIDs for " + grid.nz()
                    + " slices");
        }
    }

    /**
     * {@code labels} (on a reoriented copy of this grid) as columns*rows*frames unsigned bytes, column fastest,
     * then row, then frame: the {@link LabelMap} blob layout. Values are clamped to 0..255.
     *
     * <p>The voxel correspondence is worked out from the two grids' geometry, not from how the reorientation was
     * done: the canonical index of stored voxel (0,0,0) and of one step along each stored axis, each of which must
     * be a whole index and a single +-1 step; anything else (a resampled grid, a different series) is refused.
     */
    public byte[] frames(Volume labels) {
        int[] base = wholeIndex(labels, grid.toPatient(0, 0, 0));
        int[] strideOnLabels = {1, labels.nx(), labels.nx() * labels.ny()};
        int[] dims = {grid.nx(), grid.ny(), grid.nz()};
        int[] step = new int[3];
        boolean[] taken = new boolean[3];
        for (int a = 0; a < 3; a++) {
            double[] unit = new double[3];
            unit[a] = 1;
            int[] next = wholeIndex(labels, grid.toPatient(unit[0], unit[1], unit[2]));
            int moved = -1;
            for (int b = 0; b < 3; b++) {
                int d = next[b] - base[b];
                if (d != 0) {
                    if (moved >= 0 || Math.abs(d) != 1) {
                        throw new IllegalArgumentException("the label grid is not a reorientation of the stored "
                                + "grid (stored axis " + a + " does not map onto one label axis)");
                    }
                    moved = b;
                    step[a] = d * strideOnLabels[b];
                    int end = base[b] + d * (dims[a] - 1);
                    int size = b == 0 ? labels.nx() : b == 1 ? labels.ny() : labels.nz();
                    if (end < 0 || end >= size || base[b] < 0 || base[b] >= size) {
                        throw new IllegalArgumentException("the label grid does not cover the stored grid");
                    }
                }
            }
            if (moved < 0 || taken[moved]) {
                throw new IllegalArgumentException("the label grid is not a reorientation of the stored grid "
                        + "(stored axis " + a + " does not map onto a label axis of its own)");
            }
            taken[moved] = true;
        }
        if ((long) labels.nx() * labels.ny() * labels.nz() != (long) dims[0] * dims[1] * dims[2]) {
            throw new IllegalArgumentException("the label grid has another voxel count than the stored grid");
        }
        float[] in = labels.data();
        byte[] out = new byte[dims[0] * dims[1] * dims[2]];
        int start = labels.index(base[0], base[1], base[2]);
        int n = 0;
        for (int k = 0; k < dims[2]; k++) {
            for (int j = 0; j < dims[1]; j++) {
                int at = start + k * step[2] + j * step[1];
                for (int i = 0; i < dims[0]; i++, at += step[0]) {
                    out[n++] = (byte) Math.max(0, Math.min(255, Math.round(in[at])));
                }
            }
        }
        return out;
    }

    /** {@link #frames} stored in the blob store as a {@link LabelMap} with the given label meanings. */
    public LabelMap labelMap(Volume labels, Map<String, String> meanings, BlobStore blobs) throws IOException {
        return LabelMap.newBuilder()
                .setBlobRef(blobs.put(frames(labels)))
                .setColumns(grid.nx())
                .setRows(grid.ny())
                .setFrameSopInstanceUids(frameSopInstanceUids)
                .setLabels(meanings)
                .build();
    }

    private static int[] wholeIndex(Volume labels, double[] patient) {
        double[] v = labels.toVoxel(patient[0], patient[1], patient[2]);
        int[] whole = new int[3];
        for (int a = 0; a < 3; a++) {
            whole[a] = (int) Math.round(v[a]);
            if (Math.abs(v[a] - whole[a]) > INDEX_TOLERANCE) {
                throw new IllegalArgumentException("the label grid is not a reorientation of the stored grid "
                        + "(a stored voxel centre falls between label voxels)");
            }
        }
        return whole;
    }
}
