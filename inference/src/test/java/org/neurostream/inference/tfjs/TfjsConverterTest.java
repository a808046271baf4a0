package org.neurostream.inference.tfjs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.neurostream.inference.ModelCard;
import org.neurostream.inference.Sha256;
import org.neurostream.inference.tfjs.TinyTfjsModel.Conv;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** Converted graphs served by DJL TensorFlow against the plain-Java reference of the same TF.js layers. */
class TfjsConverterTest {
    private static final double LOGIT_TOLERANCE = 1e-3;

    @Test
    void everyLayerKindMatchesTheJavaReferenceOnANonCubicVolume(@TempDir Path dir) throws Exception {
        // Dilations 2 and 3 on sizes 9, 11, 13 exercise every remainder of the in-graph SpaceToBatch padding.
        Path source = dir.resolve("tfjs");
        TinyTfjsModel.write(source, 3, List.of(
                new Conv("conv_0_gn", 4, 3, 1, false, "gelu"),
                new Conv("conv_1_gn", 4, 3, 2, false, "gelu"),
                new Conv("conv_2", 5, 3, 3, true, "elu"),
                new Conv("conv_3", 4, 3, 2, true, "relu"),
                new Conv("output", 3, 1, 1, true, "linear")));
        Files.writeString(dir.resolve("LICENSE"), "test licence\n");

        assertParity(source, dir.resolve("model"), dir.resolve("LICENSE"), 9, 11, 13);
    }

    @ParameterizedTest
    @EnumSource(BrainchopModel.class)
    void brainchopModelMatchesTheJavaReference(BrainchopModel model, @TempDir Path dir) throws Exception {
        Path root = BrainchopData.root();
        assertParity(root.resolve(model.directory()), dir, root.resolve("LICENSE"), 20, 18, 22);
    }

    @Test
    void noConvolutionNeedsADilatedKernel() throws Exception {
        GraphDef graph = TfjsConverter.graph(TfjsModelReader.read(BrainchopData.root().resolve("mindgrab")));

        List<NodeDef> convs = graph.getNodeList().stream().filter(n -> n.getOp().equals("Conv3D")).toList();
        assertThat(convs).hasSize(26);
        assertThat(convs).allSatisfy(n -> assertThat(n.getAttrOrThrow("dilations").getList().getIList())
                .containsOnly(1L));
        assertThat(graph.getNodeList().stream().filter(n -> n.getOp().equals("SpaceToBatchND"))).hasSize(20);
        assertThat(graph.getNodeList().stream().filter(n -> n.getOp().equals("FusedBatchNormV3"))).hasSize(25);
    }

    /** Every converted model the project ships (models/), re-converted from its source. */
    @ParameterizedTest
    @EnumSource(value = BrainchopModel.class, names = {"MINDGRAB", "MODEL11_GW_AE"})
    void conversionIsDeterministicAndReproducesTheShippedModel(BrainchopModel model, @TempDir Path dir)
            throws Exception {
        Path root = BrainchopData.root();
        Path shipped = BrainchopData.repository().resolve("models").resolve(model.modelName());

        ModelCard card = TfjsConverter.convert(root.resolve(model.directory()), dir, model.spec(root));

        assertThat(card.savedModelSha256()).isEqualTo(Sha256.of(dir.resolve("saved_model.pb")))
                .isEqualTo(Sha256.of(shipped.resolve("saved_model.pb")))
                .isEqualTo(ModelCard.read(shipped).savedModelSha256());
        assertThat(Files.readString(dir.resolve(ModelCard.FILE_NAME)))
                .isEqualTo(Files.readString(shipped.resolve(ModelCard.FILE_NAME)));
        assertThat(dir.resolve("LICENSE")).hasSameBinaryContentAs(root.resolve("LICENSE"))
                .hasSameBinaryContentAs(shipped.resolve("LICENSE"));
        assertThat(card.version()).isEqualTo("brainchop-4c87885");
        assertThat(card.licence()).startsWith("MIT");
        assertThat(card.source()).contains(BrainchopModel.COMMIT).contains("model.json=");
    }

    private static void assertParity(Path source, Path out, Path licence, int d, int h, int w) throws Exception {
        TfjsModel model = TfjsModelReader.read(source);
        TfjsConverter.convert(source, out, new TfjsConverter.ModelSpec("test", "0", "test", "input", "output",
                new ModelCard.Preprocessing(List.of(d, h, w), List.of(1.0, 1.0, 1.0), "none", 0, 100, "none"),
                "test source", "test licence", null, null, null, licence));
        float[] input = new float[d * h * w];
        Random random = new Random(11);
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat();
        }

        ServedModel.Outputs served = ServedModel.run(out, input, d, h, w);
        float[] expected = TfjsReference.run(model, input, d, h, w);

        assertThat(served.logits()).hasSize(d * h * w * model.outputChannels());
        double difference = ServedModel.maxAbsDifference(served.logits(), expected);
        System.out.printf("%s (%d layers) on %dx%dx%d: max |logit difference| %.2e%n", source.getFileName(),
                model.layers().size(), d, h, w, difference);
        assertThat(difference).isLessThan(LOGIT_TOLERANCE);
        assertThat(ServedModel.maxAbsDifference(served.probabilities(),
                TfjsReference.softmax(expected, model.outputChannels()))).isLessThan(LOGIT_TOLERANCE);
        // A model whose output no longer depends on its input would pass the comparison trivially.
        assertThat(spread(expected)).isGreaterThan(0.01);
    }

    private static double spread(float[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
