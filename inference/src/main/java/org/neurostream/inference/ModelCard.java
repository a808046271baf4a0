package org.neurostream.inference;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * model-card.json: what a model is, what it expects, how it was made and how well it did. Serving reads the
 * preprocessing numbers from here, so the card and the code cannot drift apart. {@code source} and {@code licence}
 * record where a third-party model came from and under which terms (null for models trained here).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(String name, String version, String description, String architecture,
        List<TensorSpec> inputs, List<TensorSpec> outputs, Preprocessing preprocessing, Training training,
        Evaluation evaluation, String savedModelSha256, String limitations, String retrain, String source,
        String licence) {

    public static final String FILE_NAME = "model-card.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A float32 input or output of the serving signature; -1 = any size. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TensorSpec(String name, String dtype, List<Long> shape, String layout, String meaning) {
    }

    /** How a volume becomes a model input. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preprocessing(List<Integer> gridSize, List<Double> spacingMm, String resampling,
            double lowPercentile, double highPercentile, String intensity) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(String data, long seed, int subjects, int pairs, int steps, int batchSize,
            String optimizer, String loss, Double firstLoss, Double finalLoss, Double seconds, String engine) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Evaluation(String data, long seed, int pairs, double accuracy, double sensitivity,
            double specificity, String servedBy) {
    }

    /** A card for a model made here (no third-party source or licence to record). */
    public ModelCard(String name, String version, String description, String architecture, List<TensorSpec> inputs,
            List<TensorSpec> outputs, Preprocessing preprocessing, Training training, Evaluation evaluation,
            String savedModelSha256, String limitations, String retrain) {
        this(name, version, description, architecture, inputs, outputs, preprocessing, training, evaluation,
                savedModelSha256, limitations, retrain, null, null);
    }

    public static ModelCard read(Path directory) throws IOException {
        return JSON.readValue(directory.resolve(FILE_NAME).toFile(), ModelCard.class);
    }

    public void write(Path directory) throws IOException {
        JSON.writeValue(directory.resolve(FILE_NAME).toFile(), this);
    }

    public ModelCard withEvaluation(Evaluation newEvaluation) {
        return new ModelCard(name, version, description, architecture, inputs, outputs, preprocessing, training,
                newEvaluation, savedModelSha256, limitations, retrain, source, licence);
    }
}
