package org.neurostream.inference.tfjs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.tfjs.TfjsModel.Activation;
import org.neurostream.inference.tfjs.TfjsModel.ActivationLayer;
import org.neurostream.inference.tfjs.TfjsModel.Conv3d;
import org.neurostream.inference.tfjs.TinyTfjsModel.Conv;

class TfjsModelReaderTest {
    private static final List<Conv> CHAIN = List.of(
            new Conv("conv_0_gn", 3, 3, 2, false, "gelu"),
            new Conv("output", 2, 1, 1, true, "linear"));

    @Test
    void readsTheChainTheWeightsAndWhereInstanceNormGoes(@TempDir Path dir) throws Exception {
        TinyTfjsModel.write(dir, 1, CHAIN);

        TfjsModel model = TfjsModelReader.read(dir);

        assertThat(model.name()).isEqualTo("tiny");
        assertThat(model.inputChannels()).isEqualTo(1);
        assertThat(model.layers()).hasSize(3);
        Conv3d first = (Conv3d) model.layers().get(0);
        assertThat(first.dilation()).containsExactly(2, 2, 2);
        assertThat(first.weights()).hasSize(27 * 3);
        assertThat(first.bias()).isNull();
        assertThat(first.instanceNorm()).isTrue();
        assertThat(((ActivationLayer) model.layers().get(1)).activation()).isEqualTo(Activation.GELU);
        Conv3d output = (Conv3d) model.layers().get(2);
        assertThat(output.instanceNorm()).isFalse();
        assertThat(output.bias()).hasSize(2);
        assertThat(model.outputChannels()).isEqualTo(2);
        assertThat(model.parameterCount()).isEqualTo(27 * 3 + 3 * 2 + 2);
    }

    @Test
    void malformedJsonIsAClearError(@TempDir Path dir) throws Exception {
        TinyTfjsModel.write(dir, 1, CHAIN);
        Files.writeString(dir.resolve("model.json"), "{\"format\": \"layers-model\", \"modelTopology\": {");

        assertThatThrownBy(() -> TfjsModelReader.read(dir)).isInstanceOf(TfjsFormatException.class)
                .hasMessageContaining("model.json").hasMessageContaining("not valid JSON");
    }

    @Test
    void missingFolderOrManifestIsAClearError(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> TfjsModelReader.read(dir)).isInstanceOf(TfjsFormatException.class)
                .hasMessageContaining("has no model.json");

        ObjectNode root = TinyTfjsModel.write(dir, 1, CHAIN);
        root.remove("weightsManifest");
        TinyTfjsModel.writeJson(dir, root);
        assertThatThrownBy(() -> TfjsModelReader.read(dir)).isInstanceOf(TfjsFormatException.class)
                .hasMessageContaining("missing 'weightsManifest'");
    }

    @Test
    void weightFileOfTheWrongLengthIsRejected(@TempDir Path dir) throws Exception {
        TinyTfjsModel.write(dir, 1, CHAIN);
        Path weights = dir.resolve("weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length + 4));
        assertThatThrownBy(() -> TfjsModelReader.read(dir)).isInstanceOf(TfjsFormatException.class)
                .hasMessageContaining("4 bytes more");

        Files.write(weights, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> TfjsModelReader.read(dir)).isInstanceOf(TfjsFormatException.class)
                .hasMessageContaining("end inside weight output/bias");
    }

    @Test
    void unsupportedLayersAndSettingsAreNamed(@TempDir Path dir) throws Exception {
        ObjectNode root = TinyTfjsModel.write(dir, 1, CHAIN);
        ObjectNode conv = (ObjectNode) root.at("/modelTopology/model_config/config/layers/1/config");
        conv.putArray("strides").add(2).add(2).add(2);
        TinyTfjsModel.writeJson(dir, root);
        assertThatThrownBy(() -> TfjsModelReader.read(dir)).hasMessageContaining("conv_0_gn has strides [2, 2, 2]");

        conv.putArray("strides").add(1).add(1).add(1);
        ((ObjectNode) root.at("/modelTopology/model_config/config/layers/2/config")).put("activation", "swish");
        TinyTfjsModel.writeJson(dir, root);
        assertThatThrownBy(() -> TfjsModelReader.read(dir)).hasMessageContaining("unsupported activation 'swish'");

        ((ObjectNode) root.at("/modelTopology/model_config/config/layers/2")).put("class_name", "BatchNormalization");
        TinyTfjsModel.writeJson(dir, root);
        assertThatThrownBy(() -> TfjsModelReader.read(dir))
                .hasMessageContaining("unsupported class 'BatchNormalization'");
    }
}
