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
import org.neurostream.phantom.PhantomGenerator;
import org.neurostream.phantom.PhantomPair;

/**
 * Phantom visit pairs through the shared preprocessing, cached on disk as raw float32 so repeated runs skip the
 * generator. The cache folder is keyed by a fingerprint of the phantom and imaging code and the preprocessing
 * numbers: a new generator or new preprocessing never reuses stale arrays.
 */
public final class PhantomPairSource {
    private final ChangeClassifierPreprocessing preprocessing;
    private final Path cacheDirectory;

    /** {@code cacheRoot} null = no disk cache. */
    public PhantomPairSource(ChangeClassifierPreprocessing preprocessing, Path cacheRoot) {
        this.preprocessing = preprocessing;
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
                : cacheDirectory.resolve("seed" + seed + "-subject" + subject + (declining ? "-declining" : "-stable")
                        + ".f32");
        try {
            if (file != null && Files.isRegularFile(file)) {
                return new LabelledPair(seed, subject, read(file), declining);
            }
            PhantomPair phantom = new PhantomGenerator(seed).pair(subject, declining);
            PreparedPair prepared = new PreparedPair(preprocessing.prepareArray(phantom.baseline()),
                    preprocessing.prepareArray(phantom.followUp()));
            if (file != null) {
                write(file, prepared);
            }
            return new LabelledPair(seed, subject, prepared, phantom.declining());
        } catch (IOException e) {
            throw new UncheckedIOException("phantom pair cache " + file, e);
        }
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
            for (Class<?> code : List.of(PhantomGenerator.class, Resampler.class)) {
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
