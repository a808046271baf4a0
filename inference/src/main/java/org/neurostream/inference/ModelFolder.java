package org.neurostream.inference;

import com.fasterxml.jackson.core.JacksonException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One entry of the model registry: a folder holding a TensorFlow SavedModel and its {@code model-card.json}
 * (models/README.md). Opening it checks every SavedModel file against the SHA-256 its card records, so a model
 * whose bytes are not the ones described is never served; {@link #requireComplete()} adds the card's required
 * fields, which the processor demands before it starts.
 */
public final class ModelFolder {
    public static final String SAVED_MODEL_FILE = "saved_model.pb";
    /** Files and folders of a SavedModel besides saved_model.pb (TensorFlow's layout); anything else is not hashed. */
    static final List<String> OTHER_SAVED_MODEL_PARTS = List.of("variables", "assets", "assets.extra",
            "fingerprint.pb");

    private final Path directory;
    private final ModelCard card;
    private final String sha256;
    private SavedModelSignature signature;

    private ModelFolder(Path directory, ModelCard card, String sha256) {
        this.directory = directory;
        this.card = card;
        this.sha256 = sha256;
    }

    /**
     * Reads the card and checks the SavedModel's files against it: saved_model.pb against
     * {@code savedModelSha256}, every file under variables/, assets/ (and fingerprint.pb) against
     * {@code filesSha256}, which must list exactly the files present. Fails naming the file.
     */
    public static ModelFolder open(Path directory) throws IOException {
        Path cardFile = directory.resolve(ModelCard.FILE_NAME);
        if (!Files.isRegularFile(cardFile)) {
            throw new IOException("model folder " + directory + " has no " + ModelCard.FILE_NAME
                    + " (see models/README.md for what it must hold)");
        }
        ModelCard card;
        try {
            card = ModelCard.read(directory);
        } catch (JacksonException e) {
            throw new IOException(cardFile + " is not a readable model card: " + e.getOriginalMessage(), e);
        }
        Path savedModel = directory.resolve(SAVED_MODEL_FILE);
        if (!Files.isRegularFile(savedModel)) {
            throw new IOException("model folder " + directory + " has no " + SAVED_MODEL_FILE);
        }
        String pbSha256 = Sha256.of(savedModel);
        if (card.savedModelSha256() != null && !card.savedModelSha256().equals(pbSha256)) {
            throw new IOException(SAVED_MODEL_FILE + " in " + directory + " has SHA-256 " + pbSha256
                    + " but its model card says " + card.savedModelSha256());
        }
        Map<String, String> others = otherFiles(directory);
        Map<String, String> listed = card.filesSha256() == null ? Map.of() : card.filesSha256();
        for (Map.Entry<String, String> file : others.entrySet()) {
            String expected = listed.get(file.getKey());
            if (expected == null) {
                throw new IOException(file.getKey() + " in " + directory + " is part of the SavedModel but not "
                        + "listed in filesSha256 of its model card (its SHA-256 is " + file.getValue() + ")");
            }
            if (!expected.equals(file.getValue())) {
                throw new IOException(file.getKey() + " in " + directory + " has SHA-256 " + file.getValue()
                        + " but its model card says " + expected);
            }
        }
        for (String name : listed.keySet()) {
            if (!others.containsKey(name)) {
                throw new IOException(name + " is listed in filesSha256 of the model card in " + directory
                        + " but the file is missing");
            }
        }
        return new ModelFolder(directory, card, digest(pbSha256, others));
    }

    /**
     * The SHA-256 of every file of the SavedModel besides saved_model.pb, by '/'-separated relative path: what a
     * card's {@code filesSha256} must say (a frozen graph with an empty variables/ has none).
     */
    public static Map<String, String> otherFiles(Path directory) throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (String part : OTHER_SAVED_MODEL_PARTS) {
            Path path = directory.resolve(part);
            if (!Files.exists(path)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(path)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    files.put(directory.relativize(file).toString().replace('\\', '/'), Sha256.of(file));
                }
            }
        }
        return files;
    }

    /**
     * The model's identity in results: the SHA-256 of saved_model.pb for a frozen graph (the whole model is in
     * it); with other files, the SHA-256 of the sorted "sha256  path" lines of every file, so new weights under
     * an unchanged graph are a different model too.
     */
    static String digest(String savedModelSha256, Map<String, String> others) {
        if (others.isEmpty()) {
            return savedModelSha256;
        }
        Map<String, String> all = new TreeMap<>(others);
        all.put(SAVED_MODEL_FILE, savedModelSha256);
        StringBuilder manifest = new StringBuilder();
        all.forEach((path, sha) -> manifest.append(sha).append("  ").append(path).append('\n'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(manifest.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Fails, naming every missing field, unless the card has what issue 4 asks of a registry entry: name, version,
     * inputs, preprocessing, outputs, training data, metrics and the SavedModel's SHA-256.
     */
    public ModelFolder requireComplete() throws IOException {
        List<String> missing = missingFields(card);
        if (!missing.isEmpty()) {
            throw new IOException("the model card " + directory.resolve(ModelCard.FILE_NAME) + " is missing "
                    + String.join(", ", missing) + " (see models/README.md)");
        }
        return this;
    }

    /** The required fields {@code card} lacks, as JSON paths ("training.data", "inputs[1].shape"). */
    public static List<String> missingFields(ModelCard card) {
        List<String> missing = new ArrayList<>();
        if (blank(card.name())) {
            missing.add("name");
        }
        if (blank(card.version())) {
            missing.add("version");
        }
        tensors("inputs", card.inputs(), missing);
        tensors("outputs", card.outputs(), missing);
        ModelCard.Preprocessing p = card.preprocessing();
        if (p == null) {
            missing.add("preprocessing");
        } else {
            if (p.gridSize() == null || p.gridSize().size() != 3) {
                missing.add("preprocessing.gridSize (3 numbers)");
            }
            if (p.spacingMm() == null || p.spacingMm().size() != 3) {
                missing.add("preprocessing.spacingMm (3 numbers)");
            }
            if (blank(p.intensity())) {
                missing.add("preprocessing.intensity");
            }
        }
        if (card.training() == null || blank(card.training().data())) {
            missing.add("training.data");
        }
        if (card.evaluation() == null && (card.metrics() == null || card.metrics().isEmpty())) {
            missing.add("metrics (or evaluation)");
        } else if (card.metrics() != null) {
            for (int m = 0; m < card.metrics().size(); m++) {
                ModelCard.Metric metric = card.metrics().get(m);
                if (blank(metric.name()) || blank(metric.data())) {
                    missing.add("metrics[" + m + "].name and .data");
                }
            }
        }
        if (blank(card.savedModelSha256())) {
            missing.add("savedModelSha256");
        }
        return missing;
    }

    private static void tensors(String field, List<ModelCard.TensorSpec> specs, List<String> missing) {
        if (specs == null || specs.isEmpty()) {
            missing.add(field);
            return;
        }
        for (int t = 0; t < specs.size(); t++) {
            ModelCard.TensorSpec spec = specs.get(t);
            if (blank(spec.name())) {
                missing.add(field + "[" + t + "].name");
            }
            if (blank(spec.dtype())) {
                missing.add(field + "[" + t + "].dtype");
            }
            if (spec.shape() == null || spec.shape().isEmpty()) {
                missing.add(field + "[" + t + "].shape");
            }
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The serving signature saved_model.pb declares under the card's signature key (read once). */
    public synchronized SavedModelSignature signature() throws IOException {
        if (signature == null) {
            signature = SavedModelSignature.read(directory, card.servingSignature());
        }
        return signature;
    }

    /**
     * Checks that the card's inputs are exactly the signature's inputs, that each card output is a signature
     * output, all float32 with compatible shapes; fails naming the mismatch and what the signature holds.
     */
    public void checkSignatureMatchesCard() throws IOException {
        SavedModelSignature sig = signature();
        String where = " (" + directory.resolve(SAVED_MODEL_FILE) + ", signature '" + sig.key() + "')";
        if (card.inputs() != null) {
            List<String> names = card.inputs().stream().map(ModelCard.TensorSpec::name).toList();
            if (!sig.inputs().keySet().equals(new java.util.TreeSet<>(names))) {
                throw new IOException("the model card's inputs " + names + " are not the SavedModel's inputs: "
                        + sig.describeInputs() + where);
            }
            for (ModelCard.TensorSpec spec : card.inputs()) {
                checkTensor("input", spec, sig.inputs().get(spec.name()), where);
            }
        }
        if (card.outputs() != null) {
            for (ModelCard.TensorSpec spec : card.outputs()) {
                SavedModelSignature.Tensor tensor = sig.outputs().get(spec.name());
                if (tensor == null) {
                    throw new IOException("the model card's output '" + spec.name() + "' is not an output of the "
                            + "SavedModel, whose outputs are " + sig.describeOutputs() + where);
                }
                checkTensor("output", spec, tensor, where);
            }
        }
    }

    private static void checkTensor(String kind, ModelCard.TensorSpec spec, SavedModelSignature.Tensor tensor,
            String where) throws IOException {
        if (!tensor.isFloat32()) {
            throw new IOException(kind + " '" + spec.name() + "' is " + tensor.dtype() + "; NeuroStream feeds and "
                    + "reads float32 (DT_FLOAT)" + where);
        }
        if (!tensor.compatibleWith(spec.shape())) {
            throw new IOException(kind + " '" + spec.name() + "' has shape " + tensor.shapeText()
                    + " in the SavedModel but " + spec.shape() + " in the model card" + where);
        }
    }

    public Path directory() {
        return directory;
    }

    public ModelCard card() {
        return card;
    }

    /** The model's identity in results (see {@link #digest}). */
    public String sha256() {
        return sha256;
    }

    /** The model's identity for results, on {@code device}. */
    public ModelInfo info(String device) {
        return new ModelInfo(card.name(), card.version(), sha256, device);
    }
}
