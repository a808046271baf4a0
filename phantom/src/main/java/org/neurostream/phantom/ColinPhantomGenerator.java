package org.neurostream.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.neurostream.imaging.GaussianFilter;
import org.neurostream.imaging.Resampler;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.morphology.DistanceTransform;
import org.neurostream.imaging.registration.RigidTransform;

/**
 * Longitudinal phantom pairs on a real anatomy: Colin27 ({@link ColinAnatomy}). Each subject is Colin27 bent by a
 * smooth random deformation, with its own tissue contrast. Its follow-up adds known change:
 * <ul>
 *   <li>atrophy: the brain shrinks towards its centre while the skull stays (the CSF around it widens), and the
 *       ventricles expand;</li>
 *   <li>new FLAIR-hyperintense white-matter lesions (count, sizes and positions known), beside older lesions that
 *       both visits show;</li>
 *   <li>rigid head motion; and on every scan its own bias field, scanner drift and Rician noise.</li>
 * </ul>
 * Brains are rendered from tissue labels, so the labels are the exact ground truth; outside the brain the real
 * Colin27 head is kept, so the models see a whole head. Deterministic from the seed.
 */
public final class ColinPhantomGenerator {
    /** "Declining" means a parenchyma loss beyond this over the interval (percent brain volume change). */
    public static final double DECLINE_THRESHOLD_PBVC = -0.8;
    /** FLAIR signal levels (arbitrary units, before drift and bias). */
    static final double[] FLAIR_LEVELS = {0, 120, 600, 450, 100};
    static final double FLAIR_LESION = 1000;
    static final double T1_LESION_OF_WHITE = 0.8;
    static final double PARTIAL_VOLUME_SIGMA_MM = 0.6;
    static final double NOISE_OF_WHITE = 0.02;

    /** One new lesion: its centre in the follow-up series' patient coordinates and its volume. */
    public record Lesion(double[] centreMm, double volumeMl) {
    }

    /** What the pair really shows. Volumes in mL; motion maps follow-up series points into the subject's space. */
    public record Truth(boolean declining, double pbvcPercent, double priorParenchymaMl, double currentParenchymaMl,
            double priorVentriclesMl, double currentVentriclesMl, List<Lesion> newLesions, double[] motionDegrees,
            double[] motionMm) {
        public double ventricleChangePercent() {
            return 100 * (currentVentriclesMl - priorVentriclesMl) / priorVentriclesMl;
        }

        public double newLesionVolumeMl() {
            return newLesions.stream().mapToDouble(Lesion::volumeMl).sum();
        }
    }

    /**
     * One visit: T1, FLAIR, tissue labels (0 outside the brain, 1 CSF, 2 grey, 3 white, 4 ventricles) and every
     * lesion it shows (1), all on one grid.
     */
    public record Visit(Volume t1, Volume flair, Volume labels, Volume lesions) {
    }

    /** A pair; {@code newLesionMask} marks the follow-up's new lesions (1) on the follow-up grid. */
    public record Pair(int subject, Visit baseline, Visit followUp, Volume newLesionMask, Truth truth) {
    }

    private final long seed;
    private final ColinAnatomy anatomy;

    /** Pairs at Colin27's own 1 mm. */
    public ColinPhantomGenerator(long seed) {
        this(seed, 1.0);
    }

    /** Pairs on an isotropic {@code spacingMm} grid (2 mm makes training pairs ~8 times faster). */
    public ColinPhantomGenerator(long seed, double spacingMm) {
        this.seed = seed;
        this.anatomy = ColinAnatomy.load(spacingMm);
    }

    public Pair pair(int subject, boolean declining) {
        Random shape = Seeds.stream(seed, subject, Seeds.ANATOMY);
        Random change = Seeds.stream(seed, subject, Seeds.CHANGE);
        Volume grid = anatomy.t1;
        SmoothField subjectField = new SmoothField(grid.toPatient(0, 0, 0), grid.toPatient(grid.nx() - 1,
                grid.ny() - 1, grid.nz() - 1), 30, 2.0, shape);
        double[] gains = {1, uniform(shape, 0.95, 1.05), uniform(shape, 0.95, 1.05), uniform(shape, 0.95, 1.05), 1};
        gains[ColinAnatomy.VENTRICLE] = gains[ColinAnatomy.CSF];

        // Baseline: Colin27 through the subject's own deformation.
        Rendered baseline = render(p -> bend(subjectField, p));
        Atrophy atrophy = Atrophy.of(baseline.labels, declining, change);
        // The follow-up in the subject's space (where lesions are placed and volumes counted)...
        Rendered followUp = render(p -> bend(subjectField, atrophy.apply(p)));

        List<double[][]> oldLesions = placeLesions(baseline.labels, change.nextInt(4), List.of(), change);
        Volume baselineLesions = rasterise(grid, oldLesions);
        // Old lesions move with the tissue: sample the baseline mask through the atrophy.
        Volume followUpOld = warpNearest(baselineLesions, atrophy);
        int newCount = change.nextDouble() < 0.25 ? 0 : 1 + change.nextInt(5);
        List<double[][]> newLesions = placeLesions(followUp.labels, newCount, oldLesions, change);
        Volume newMask = rasterise(grid, newLesions);
        Volume followUpLesions = union(followUpOld, newMask);

        // ...and as the scanner sees it: the head moved between visits. Rendered through the motion, not
        // resampled after it, so the follow-up is exactly as sharp as the baseline (an interpolated follow-up
        // would be smoother, and segmentations read smoothing as tissue change).
        double[] degrees = {uniform(change, -3, 3), uniform(change, -3, 3), uniform(change, -3, 3)};
        double[] mm = {uniform(change, -4, 4), uniform(change, -4, 4), uniform(change, -4, 4)};
        RigidTransform motion = RigidTransform.of(degrees[0], degrees[1], degrees[2], mm, grid.centre());
        Rendered followUpMoved = render(p -> bend(subjectField, atrophy.apply(motion.apply(p))));
        Volume movedLesions = Resampler.resampleOntoNearest(followUpLesions, grid, motion);
        Volume newMaskMoved = Resampler.resampleOntoNearest(newMask, grid, motion);

        Visit baselineVisit = scan(baseline, baselineLesions, gains, Seeds.stream(seed, subject, Seeds.BASELINE_SCAN));
        Visit followUpVisit = scan(followUpMoved, movedLesions, gains,
                Seeds.stream(seed, subject, Seeds.FOLLOW_UP_SCAN));

        double priorParenchyma = count(baseline.labels, ColinAnatomy.GREY, ColinAnatomy.WHITE) * voxelMl(grid);
        double currentParenchyma = count(followUp.labels, ColinAnatomy.GREY, ColinAnatomy.WHITE) * voxelMl(grid);
        double pbvc = 100 * (currentParenchyma - priorParenchyma) / priorParenchyma;
        Truth truth = new Truth(pbvc < DECLINE_THRESHOLD_PBVC, pbvc, priorParenchyma, currentParenchyma,
                count(baseline.labels, ColinAnatomy.VENTRICLE) * voxelMl(grid),
                count(followUp.labels, ColinAnatomy.VENTRICLE) * voxelMl(grid),
                lesionTruth(newMaskMoved), degrees, mm);
        return new Pair(subject, baselineVisit, followUpVisit, newMaskMoved, truth);
    }

    /** Labels and the real head's T1 (for outside the brain), sampled from Colin27 through a point mapping. */
    private record Rendered(Volume labels, Volume exterior) {
    }

    private Rendered render(java.util.function.UnaryOperator<double[]> toColin) {
        Volume grid = anatomy.t1;
        float[] labels = new float[grid.voxelCount()];
        float[] exterior = new float[grid.voxelCount()];
        int n = 0;
        for (int k = 0; k < grid.nz(); k++) {
            for (int j = 0; j < grid.ny(); j++) {
                for (int i = 0; i < grid.nx(); i++, n++) {
                    double[] p = toColin.apply(grid.toPatient(i, j, k));
                    labels[n] = (float) nearestAt(anatomy.labels, p);
                    exterior[n] = (float) trilinearAt(anatomy.t1, p);
                }
            }
        }
        return new Rendered(grid.withData(labels), grid.withData(exterior));
    }

    private static double[] bend(SmoothField field, double[] p) {
        double[] u = new double[3];
        field.at(p[0], p[1], p[2], u);
        return new double[] {p[0] + u[0], p[1] + u[1], p[2] + u[2]};
    }

    /**
     * Atrophy as a point mapping from follow-up to baseline space: inside the brain, points sample from further
     * out (the brain looks smaller by 1/(1+shrink)); the pull fades to nothing within 6 mm outside the brain, so
     * the skull stays and the CSF between them widens. Around each lateral ventricle points sample from nearer its
     * centre (the ventricle looks larger), fading within 8 mm.
     */
    private record Atrophy(double shrink, double expand, Volume brainWeight, Volume ventricleWeight,
            double[] centre, double[] leftVentricle, double[] rightVentricle) {
        static Atrophy of(Volume labels, boolean declining, Random random) {
            double targetPbvc = declining ? uniform(random, -3.0, -1.3) : uniform(random, -0.4, 0.0);
            double expand = declining ? uniform(random, 0.04, 0.08) : uniform(random, 0.0, 0.01);
            boolean[] outsideBrain = new boolean[labels.voxelCount()];
            boolean[] notVentricle = new boolean[labels.voxelCount()];
            double[] centre = new double[3];
            double[] left = new double[4];
            double[] right = new double[4];
            long brain = 0;
            float[] data = labels.data();
            int n = 0;
            for (int k = 0; k < labels.nz(); k++) {
                for (int j = 0; j < labels.ny(); j++) {
                    for (int i = 0; i < labels.nx(); i++, n++) {
                        outsideBrain[n] = data[n] == 0;
                        notVentricle[n] = data[n] != ColinAnatomy.VENTRICLE;
                        double[] p = labels.toPatient(i, j, k);
                        if (data[n] != 0) {
                            brain++;
                            for (int a = 0; a < 3; a++) {
                                centre[a] += p[a];
                            }
                        }
                        if (data[n] == ColinAnatomy.VENTRICLE) {
                            double[] side = p[0] >= 0 ? left : right; // LPS: +x is the patient's left
                            for (int a = 0; a < 3; a++) {
                                side[a] += p[a];
                            }
                            side[3]++;
                        }
                    }
                }
            }
            for (int a = 0; a < 3; a++) {
                centre[a] /= brain;
                left[a] /= Math.max(1, left[3]);
                right[a] /= Math.max(1, right[3]);
            }
            return new Atrophy(-targetPbvc / 300, expand, fade(labels, outsideBrain, 6), fade(labels, notVentricle, 8),
                    centre, left, right);
        }

        /** 1 where {@code outside} is false, falling linearly to 0 at {@code fadeMm} from that region. */
        private static Volume fade(Volume grid, boolean[] outside, double fadeMm) {
            boolean[] inside = new boolean[outside.length];
            for (int n = 0; n < inside.length; n++) {
                inside[n] = !outside[n];
            }
            float[] d2 = DistanceTransform.squaredMm(inside, grid);
            float[] weight = new float[d2.length];
            for (int n = 0; n < d2.length; n++) {
                weight[n] = (float) Math.max(0, 1 - Math.sqrt(d2[n]) / fadeMm);
            }
            return grid.withData(weight);
        }

        double[] apply(double[] p) {
            double w = trilinearAt(brainWeight, p);
            double v = trilinearAt(ventricleWeight, p);
            double[] ventricle = p[0] >= 0 ? leftVentricle : rightVentricle;
            double[] q = new double[3];
            for (int a = 0; a < 3; a++) {
                q[a] = p[a] + shrink * w * (p[a] - centre[a]) - expand * v * (p[a] - ventricle[a]);
            }
            return q;
        }
    }

    private Volume warpNearest(Volume baselineSpace, Atrophy atrophy) {
        float[] out = new float[baselineSpace.voxelCount()];
        int n = 0;
        for (int k = 0; k < baselineSpace.nz(); k++) {
            for (int j = 0; j < baselineSpace.ny(); j++) {
                for (int i = 0; i < baselineSpace.nx(); i++, n++) {
                    double[] p = atrophy.apply(baselineSpace.toPatient(i, j, k));
                    out[n] = (float) nearestAt(baselineSpace, p);
                }
            }
        }
        return baselineSpace.withData(out);
    }

    /**
     * Ellipsoids (centre, radii) deep in white matter: each lies at least 1.5 mm inside it and apart from the
     * lesions already placed.
     */
    private static List<double[][]> placeLesions(Volume labels, int count, List<double[][]> existing,
            Random random) {
        boolean[] notWhite = new boolean[labels.voxelCount()];
        for (int n = 0; n < notWhite.length; n++) {
            notWhite[n] = labels.data()[n] != ColinAnatomy.WHITE;
        }
        float[] depth2 = DistanceTransform.squaredMm(notWhite, labels);
        List<double[][]> placed = new ArrayList<>(existing);
        List<double[][]> added = new ArrayList<>();
        for (int tries = 0; added.size() < count && tries < 200_000; tries++) {
            int i = random.nextInt(labels.nx());
            int j = random.nextInt(labels.ny());
            int k = random.nextInt(labels.nz());
            double radius = uniform(random, 2.0, 4.5);
            double[] radii = {radius * uniform(random, 0.75, 1.3), radius * uniform(random, 0.75, 1.3),
                radius * uniform(random, 0.75, 1.3)};
            double reach = Math.max(radii[0], Math.max(radii[1], radii[2])) + 1.5;
            if (depth2[labels.index(i, j, k)] < reach * reach) {
                continue;
            }
            double[] centre = labels.toPatient(i, j, k);
            boolean clear = placed.stream().allMatch(l -> distance(l[0], centre) > reach
                    + Math.max(l[1][0], Math.max(l[1][1], l[1][2])) + 3);
            if (clear) {
                double[][] lesion = {centre, radii};
                placed.add(lesion);
                added.add(lesion);
            }
        }
        return added;
    }

    private static Volume rasterise(Volume grid, List<double[][]> lesions) {
        float[] out = new float[grid.voxelCount()];
        for (double[][] lesion : lesions) {
            double[] c = lesion[0];
            double[] r = lesion[1];
            double[] lo = grid.toVoxel(c[0] - r[0] - 1, c[1] - r[1] - 1, c[2] - r[2] - 1);
            double[] hi = grid.toVoxel(c[0] + r[0] + 1, c[1] + r[1] + 1, c[2] + r[2] + 1);
            for (int k = bound(lo[2], hi[2], grid.nz(), false); k <= bound(lo[2], hi[2], grid.nz(), true); k++) {
                for (int j = bound(lo[1], hi[1], grid.ny(), false); j <= bound(lo[1], hi[1], grid.ny(), true); j++) {
                    for (int i = bound(lo[0], hi[0], grid.nx(), false); i <= bound(lo[0], hi[0], grid.nx(), true);
                            i++) {
                        double[] p = grid.toPatient(i, j, k);
                        double s = 0;
                        for (int a = 0; a < 3; a++) {
                            s += Math.pow((p[a] - c[a]) / r[a], 2);
                        }
                        if (s <= 1) {
                            out[grid.index(i, j, k)] = 1;
                        }
                    }
                }
            }
        }
        return grid.withData(out);
    }

    private static int bound(double a, double b, int n, boolean upper) {
        double v = upper ? Math.ceil(Math.max(a, b)) : Math.floor(Math.min(a, b));
        return (int) Math.max(0, Math.min(n - 1, v));
    }

    /** Centre of mass and volume of each connected new lesion, as the moved follow-up shows it. */
    private static List<Lesion> lesionTruth(Volume mask) {
        boolean[] on = new boolean[mask.voxelCount()];
        for (int n = 0; n < on.length; n++) {
            on[n] = mask.data()[n] > 0;
        }
        var components = org.neurostream.imaging.morphology.ConnectedComponents.label(on, mask.nx(), mask.ny(),
                mask.nz());
        double[][] sums = new double[components.count() + 1][3];
        int n = 0;
        for (int k = 0; k < mask.nz(); k++) {
            for (int j = 0; j < mask.ny(); j++) {
                for (int i = 0; i < mask.nx(); i++, n++) {
                    int c = components.labels()[n];
                    if (c > 0) {
                        double[] p = mask.toPatient(i, j, k);
                        for (int a = 0; a < 3; a++) {
                            sums[c][a] += p[a];
                        }
                    }
                }
            }
        }
        List<Lesion> lesions = new ArrayList<>();
        for (int c = 1; c <= components.count(); c++) {
            long size = components.sizes()[c];
            lesions.add(new Lesion(new double[] {sums[c][0] / size, sums[c][1] / size, sums[c][2] / size},
                    size * voxelMl(mask)));
        }
        return lesions;
    }

    /** T1 and FLAIR of one visit: brain from labels, the real head around it, then partial volume and scanner. */
    private Visit scan(Rendered rendered, Volume lesions, double[] gains, Random random) {
        float[] labels = rendered.labels.data();
        float[] exterior = rendered.exterior.data();
        float[] lesion = lesions.data();
        float[] t1 = new float[labels.length];
        float[] flair = new float[labels.length];
        double white = anatomy.t1Means[ColinAnatomy.WHITE];
        for (int n = 0; n < labels.length; n++) {
            int label = (int) labels[n];
            if (label == 0) {
                t1[n] = exterior[n];
                flair[n] = (float) (exterior[n] * FLAIR_LEVELS[ColinAnatomy.WHITE] / white);
            } else if (lesion[n] > 0) {
                t1[n] = (float) (T1_LESION_OF_WHITE * white * gains[ColinAnatomy.WHITE]);
                flair[n] = (float) FLAIR_LESION;
            } else {
                t1[n] = (float) (anatomy.t1Means[label] * gains[label]);
                flair[n] = (float) (FLAIR_LEVELS[label] * gains[label]);
            }
        }
        Volume grid = rendered.labels;
        return new Visit(scanner(partialVolume(grid.withData(t1)), white, random),
                scanner(partialVolume(grid.withData(flair)), FLAIR_LEVELS[ColinAnatomy.WHITE], random),
                rendered.labels,
                lesions);
    }

    /** Bias field, drift and Rician noise (relative to the white-matter level). */
    private static Volume scanner(Volume image, double whiteLevel, Random random) {
        T1Scanner.BiasField bias = T1Scanner.BiasField.random(random);
        double drift = 1 + uniform(random, -0.05, 0.05);
        double sigma = NOISE_OF_WHITE * whiteLevel;
        float[] in = image.data();
        float[] out = new float[in.length];
        int n = 0;
        for (int k = 0; k < image.nz(); k++) {
            for (int j = 0; j < image.ny(); j++) {
                for (int i = 0; i < image.nx(); i++, n++) {
                    double[] p = image.toPatient(i, j, k);
                    double signal = in[n] * drift * bias.at(p[0], p[1], p[2]);
                    double real = signal + sigma * random.nextGaussian();
                    double imaginary = sigma * random.nextGaussian();
                    out[n] = (float) Math.sqrt(real * real + imaginary * imaginary);
                }
            }
        }
        return image.withData(out);
    }

    /** The partial-volume softening a real acquisition gives tissue boundaries. */
    private static Volume partialVolume(Volume image) {
        return GaussianFilter.smooth(image, PARTIAL_VOLUME_SIGMA_MM);
    }

    private static Volume union(Volume a, Volume b) {
        float[] out = new float[a.voxelCount()];
        for (int n = 0; n < out.length; n++) {
            out[n] = a.data()[n] > 0 || b.data()[n] > 0 ? 1 : 0;
        }
        return a.withData(out);
    }

    private static long count(Volume labels, int... values) {
        long count = 0;
        for (float v : labels.data()) {
            for (int value : values) {
                count += v == value ? 1 : 0;
            }
        }
        return count;
    }

    private static double voxelMl(Volume grid) {
        double[] s = grid.spacing();
        return s[0] * s[1] * s[2] / 1000;
    }

    /** Values at a patient point (the Resampler's samplers take voxel positions). */
    private static double trilinearAt(Volume volume, double[] p) {
        double[] v = volume.toVoxel(p[0], p[1], p[2]);
        return Resampler.trilinear(volume, v[0], v[1], v[2]);
    }

    private static double nearestAt(Volume volume, double[] p) {
        double[] v = volume.toVoxel(p[0], p[1], p[2]);
        return Resampler.nearest(volume, v[0], v[1], v[2]);
    }

    private static double distance(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }

    private static double uniform(Random random, double low, double high) {
        return Seeds.uniform(random, low, high);
    }
}
