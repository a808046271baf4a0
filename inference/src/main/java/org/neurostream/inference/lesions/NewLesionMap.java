package org.neurostream.inference.lesions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.ConnectedComponents;

/**
 * The new lesions of a follow-up: the probability map thresholded, split into 6-connected components, components
 * below a minimum volume dropped (a few voxels of registration or noise residue are not a lesion a radiologist
 * would count), the rest labelled 1..n from the largest.
 *
 * @param labels on the follow-up's grid: 0 background, i = lesion i
 */
public record NewLesionMap(Volume labels, List<DetectedLesion> lesions, double threshold, double minLesionVolumeMl) {
    public double totalVolumeMl() {
        return lesions.stream().mapToDouble(DetectedLesion::volumeMl).sum();
    }

    public int count() {
        return lesions.size();
    }

    /** Every lesion voxel, whatever its label. */
    public boolean[] mask() {
        float[] l = labels.data();
        boolean[] mask = new boolean[l.length];
        for (int n = 0; n < l.length; n++) {
            mask[n] = l[n] > 0;
        }
        return mask;
    }

    /** {@link #mask()} as a volume on the follow-up's grid: 1 on every lesion voxel, 0 elsewhere. */
    public Volume binary() {
        boolean[] mask = mask();
        float[] out = new float[mask.length];
        for (int n = 0; n < mask.length; n++) {
            out[n] = mask[n] ? 1 : 0;
        }
        return labels.withData(out);
    }

    public static NewLesionMap of(Volume probabilities, double threshold, double minLesionVolumeMl) {
        float[] p = probabilities.data();
        boolean[] above = new boolean[p.length];
        for (int n = 0; n < p.length; n++) {
            above[n] = p[n] >= threshold;
        }
        ConnectedComponents components = ConnectedComponents.label(above, probabilities.nx(), probabilities.ny(),
                probabilities.nz());
        double[] s = probabilities.spacing();
        double voxelMl = s[0] * s[1] * s[2] / 1000;
        int count = components.count();
        double[][] sums = new double[count + 1][4];
        int[] labels = components.labels();
        for (int k = 0, n = 0; k < probabilities.nz(); k++) {
            for (int j = 0; j < probabilities.ny(); j++) {
                for (int i = 0; i < probabilities.nx(); i++, n++) {
                    int c = labels[n];
                    if (c > 0) {
                        sums[c][0] += i;
                        sums[c][1] += j;
                        sums[c][2] += k;
                        sums[c][3] += p[n];
                    }
                }
            }
        }
        List<DetectedLesion> kept = new ArrayList<>();
        for (int c = 1; c <= count; c++) {
            long size = components.sizes()[c];
            if (size * voxelMl < minLesionVolumeMl) {
                continue;
            }
            double[] centre = probabilities.toPatient(sums[c][0] / size, sums[c][1] / size, sums[c][2] / size);
            kept.add(new DetectedLesion(c, (int) size, size * voxelMl, centre, sums[c][3] / size));
        }
        kept.sort(Comparator.comparingInt(DetectedLesion::voxels).reversed());
        int[] relabel = new int[count + 1];
        List<DetectedLesion> lesions = new ArrayList<>(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            DetectedLesion d = kept.get(i);
            relabel[d.label()] = i + 1;
            lesions.add(new DetectedLesion(i + 1, d.voxels(), d.volumeMl(), d.centroidMm(), d.meanProbability()));
        }
        float[] out = new float[p.length];
        for (int n = 0; n < p.length; n++) {
            out[n] = relabel[labels[n]];
        }
        return new NewLesionMap(probabilities.withData(out), List.copyOf(lesions), threshold, minLesionVolumeMl);
    }
}
