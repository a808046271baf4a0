package org.neurostream.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * model-card.json: what a model is, what it expects, how it was made and how well it did. Serving reads the
 * preprocessing numbers and the signature's tensor names from here, so the card and the code cannot drift apart.
 * {@code source} and {@code licence} record where a third-party model came from and under which terms (null for
 * models trained here). models/README.md documents every field and what a bring-your-own model's card must hold.
 *
 * @param evaluation      the change classifier's held-out figures (written by {@code evaluate})
 * @param metrics         any other measured figures, each with the data it was measured on
 * @param savedModelSha256 SHA-256 of saved_model.pb
 * @param filesSha256     SHA-256 of every other file of the SavedModel (variables/, assets/, fingerprint.pb), by
 *                        path relative to the model folder with '/' separators; absent for a frozen graph
 * @param signatureKey    the SignatureDef to serve; absent = "serving_default" (what Keras and TensorFlow export)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String name, String version, String description, String architecture,
        List<TensorSpec> inputs, List<TensorSpec> outputs, Preprocessing preprocessing, Training training,
        Evaluation evaluation, List<Metric> metrics, String savedModelSha256, Map<String, String> filesSha256,
        String signatureKey, String limitations, String retrain, String source, String licence) {

    public static final String FILE_NAME = "model-card.json";
    public static final String DEFAULT_SIGNATURE_KEY = "serving_default";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A float32 input or output of the serving signature; {@code name} is the signature's key for it (not the
     * graph node); -1 = any size.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TensorSpec(String name, String dtype, List<Long> shape, String layout, String meaning) {
    }

    /** How a volume becomes a model input. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preprocessing(List<Integer> gridSize, List<Double> spacingMm, String resampling,
            double lowPercentile, double highPercentile, String intensity) {
    }

    /** How the model was trained; third-party models may only know {@code data}, so zeros are left out. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(String data, @JsonInclude(JsonInclude.Include.NON_DEFAULT) long seed,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int subjects,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int pairs,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int steps,
            @JsonInclude(JsonInclude.Include.NON_DEFAULT) int batchSize,
            String optimizer, String loss, Double firstLoss, Double finalLoss, Double seconds, String engine) {
        /** Training known only by its data (third-party models). */
        public static Training ofData(String data) {
            return new Training(data, 0, 0, 0, 0, 0, null, null, null, null, null, null);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluation(String data, long seed, int pairs, double accuracy, double sensitivity,
            double specificity, String servedBy) {
    }

    /** One measured figure: what, how much, on which data (and by which test or command). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metric(String name, double value, String data) {
    }

    /** A card for a model made here (no third-party source or licence to record). */
    public ModelCard(String name, String version, String description, String architecture, List<TensorSpec> inputs,
            List<TensorSpec> outputs, Preprocessing preprocessing, Training training, Evaluation evaluation,
            String savedModelSha256, String limitations, String retrain) {
        this(name, version, description, architecture, inputs, outputs, preprocessing, training, evaluation,
                savedModelSha256, limitations, retrain, null, null);
    }

    /** A card for a frozen graph (no files besides saved_model.pb) served under "serving_default". */
    public ModelCard(String name, String version, String description, String architecture, List<TensorSpec> inputs,
            List<TensorSpec> outputs, Preprocessing preprocessing, Training training, Evaluation evaluation,
            String savedModelSha256, String limitations, String retrain, String source, String licence) {
        this(name, version, description, architecture, inputs, outputs, preprocessing, training, evaluation, null,
                savedModelSha256, null, null, limitations, retrain, source, licence);
    }

    public static ModelCard read(Path directory) throws IOException {
        return JSON.readValue(directory.resolve(FILE_NAME).toFile(), ModelCard.class);
    }

    public void write(Path directory) throws IOException {
        JSON.writeValue(directory.resolve(FILE_NAME).toFile(), this);
    }

    /** The SignatureDef to serve. */
    public String servingSignature() {
        return signatureKey == null || signatureKey.isBlank() ? DEFAULT_SIGNATURE_KEY : signatureKey;
    }

    public ModelCard withEvaluation(Evaluation newEvaluation) {
        return new ModelCard(name, version, description, architecture, inputs, outputs, preprocessing, training,
                newEvaluation, metrics, savedModelSha256, filesSha256, signatureKey, limitations, retrain, source,
                licence);
    }

    public ModelCard withMetrics(List<Metric> newMetrics) {
        return new ModelCard(name, version, description, architecture, inputs, outputs, preprocessing, training,
                evaluation, newMetrics, savedModelSha256, filesSha256, signatureKey, limitations, retrain, source,
                licence);
    }
}
