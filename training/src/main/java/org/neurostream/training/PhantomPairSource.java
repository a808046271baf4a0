package org.neurostream.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.neurostream.imaging.Resampler;
import org.neurostream.inference.ChangeClassifierPreprocessing;
import org.neurostream.inference.PreparedPair;
import org.neurostream.imaging.Volume;
import org.neurostream.imaging.registration.RigidRegistration;
import org.neurostream.imaging.registration.RigidTransform;
import org.neurostream.phantom.ColinPhantomGenerator;
import org.neurostream.phantom.PhantomCohort;
import org.neurostream.phantom.PhantomGenerator;
import org.neurostream.phantom.PhantomPair;

/**
 * Phantom visit pairs through the shared preprocessing, cached on disk as raw float32 so repeated runs skip the
 * generator. Colin27 pairs (the default) are made on a {@value #COLIN_TRAINING_SPACING_MM} mm grid (the model sees
 * 4 mm) and go through the processor's own rigid registration before resampling, exactly as served pairs do, so the
 * model learns on registered pairs; the label is the phantom's truth (PBVC beyond
 * {@link ColinPhantomGenerator#DECLINE_THRESHOLD_PBVC}%). The cache folder is keyed by a fingerprint of the phantom and imaging code and the preprocessing
 * numbers: a new generator or new preprocessing never reuses stale arrays.
 */
public final class PhantomPairSource {
    static final double COLIN_TRAINING_SPACING_MM = 2.0;

    private final ChangeClassifierPreprocessing preprocessing;
    private final PhantomCohort.Anatomy anatomy;
    private final Path cacheDirectory;

    /** Colin27 pairs; {@code cacheRoot} null = no disk cache. */
    public PhantomPairSource(ChangeClassifierPreprocessing preprocessing, Path cacheRoot) {
        this(preprocessing, PhantomCohort.Anatomy.COLIN27, cacheRoot);
    }

    public PhantomPairSource(ChangeClassifierPreprocessing preprocessing, PhantomCohort.Anatomy anatomy,
            Path cacheRoot) {
        this.preprocessing = preprocessing;
        this.anatomy = anatomy;
        this.cacheDirectory = cacheRoot == null ? null : cacheRoot.resolve(fingerprint(preprocessing));
    }

    public static Path defaultCacheRoot() {
        return Path.of(System.getProperty("user.home"), ".neurostream", "cache", "change-classifier-pairs");
    }

    /** Training set: subjects 0..subjects-1 of {@code seed}, each once stable and once declining. */
    public List<LabelledPair> trainingSet(long seed, int subjects) {
        return IntStream.range(0, subjects * 2).parallel()
                .mapToObj(i -> pair(seed, i / 2, i % 2 == 1)).toList();
    }

    /** Held-out set: {@code pairs} subjects of {@code seed}, one pair each, alternating stable/declining. */
    public List<LabelledPair> heldOutSet(long seed, int pairs) {
        return IntStream.range(0, pairs).parallel().mapToObj(s -> pair(seed, s, s % 2 == 1)).toList();
    }

    public LabelledPair pair(long seed, int subject, boolean declining) {
        Path file = cacheDirectory == null ? null
                : cacheDirectory.resolve(anatomy.name().toLowerCase(java.util.Locale.ROOT) + "-seed" + seed
                        + "-subject" + subject + (declining ? "-declining" : "-stable") + ".f32");
        try {
            if (file != null && Files.isRegularFile(file)) {
                // The label is in the file name's request, and the truth agrees by construction (tested).
                return new LabelledPair(seed, subject, read(file), declining);
            }
            LabelledPair made = anatomy == PhantomCohort.Anatomy.COLIN27 ? colinPair(seed, subject, declining)
                    : syntheticPair(seed, subject, declining);
            if (file != null) {
                write(file, made.pair());
            }
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("phantom pair cache " + file, e);
        }
    }

    private LabelledPair syntheticPair(long seed, int subject, boolean declining) {
        PhantomPair phantom = new PhantomGenerator(seed).pair(subject, declining);
        return new LabelledPair(seed, subject, new PreparedPair(preprocessing.prepareArray(phantom.baseline()),
                preprocessing.prepareArray(phantom.followUp())), phantom.declining());
    }

    private LabelledPair colinPair(long seed, int subject, boolean declining) {
        ColinPhantomGenerator.Pair phantom = new ColinPhantomGenerator(seed, COLIN_TRAINING_SPACING_MM)
                .pair(subject, declining);
        Volume baseline = phantom.baseline().t1();
        Volume followUp = phantom.followUp().t1();
        RigidTransform registered = new RigidRegistration().register(baseline, followUp, null).transform();
        Volume[] resampled = preprocessing.resampleRegistered(baseline, followUp, registered);
        return new LabelledPair(seed, subject, new PreparedPair(preprocessing.normalise(resampled[0]).data(),
                preprocessing.normalise(resampled[1]).data()), phantom.truth().declining());
    }

    private PreparedPair read(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int voxels = preprocessing.voxelCount();
        if (bytes.capacity() != 2L * voxels * Float.BYTES) {
            throw new IOException(file + " has " + bytes.capacity() + " bytes, expected two volumes of " + voxels);
        }
        float[] baseline = new float[voxels];
        float[] followUp = new float[voxels];
        bytes.asFloatBuffer().get(baseline).get(followUp);
        return new PreparedPair(baseline, followUp);
    }

    private static void write(Path file, PreparedPair pair) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((pair.baseline().length * 2) * Float.BYTES)
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(pair.baseline()).put(pair.followUp());
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".part");
        Files.write(partial, bytes.array());
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Hash of the generator and imaging code (their jars or class folders) and the preprocessing numbers. */
    static String fingerprint(ChangeClassifierPreprocessing preprocessing) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Class<?> code : List.of(PhantomGenerator.class, Resampler.class, ChangeClassifierPreprocessing.class)) {
                Path location = Path.of(code.getProtectionDomain().getCodeSource().getLocation().toURI());
                try (var files = Files.walk(location)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        digest.update(Files.readAllBytes(f));
                    }
                }
            }
            digest.update(preprocessing.spec().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
