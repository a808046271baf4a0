package org.neurostream.inference.graph;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurostream.inference.TensorFlowRuntime;
import org.neurostream.inference.graph.SavedModelWriter.SignatureTensor;

/** Writes a small siamese-shaped graph using every op, serves it with DJL TensorFlow, checks a Java reference. */
class SavedModelWriterTest {
    private static final int SIZE = 4;
    private static final int CHANNELS = 2;
    private static final float ALPHA = 0.1f;

    private final Random random = new Random(7);
    private final float[] filter = randoms(27 * CHANNELS); // [3,3,3,1,2]
    private final float[] bias = randoms(CHANNELS);
    private final float[] weights = randoms(16 * 2); // [16, 2]

    @Test
    void frozenGraphServedByTensorFlowMatchesAJavaReference(@TempDir Path dir) throws Exception {
        Path file = SavedModelWriter.write(dir, graph(), List.of(
                new SignatureTensor("a", "a", -1, SIZE, SIZE, SIZE, 1),
                new SignatureTensor("b", "b", -1, SIZE, SIZE, SIZE, 1)),
                List.of(new SignatureTensor("probabilities", "probabilities", -1, 2)));
        assertThat(file).isRegularFile();
        assertThat(dir.resolve("variables")).isEmptyDirectory();
        // git keeps no empty directories: the model must load without variables/ as well.
        Files.delete(dir.resolve("variables"));

        float[] a = randoms(SIZE * SIZE * SIZE);
        float[] b = randoms(SIZE * SIZE * SIZE);
        float[] served = serve(dir, a, b);

        assertThat(served).hasSize(2);
        float[] expected = reference(a, b);
        for (int i = 0; i < 2; i++) {
            assertThat((double) served[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private org.tensorflow.proto.GraphDef graph() {
        TfGraphBuilder g = new TfGraphBuilder();
        String a = g.placeholder("a", -1, SIZE, SIZE, SIZE, 1);
        String b = g.placeholder("b", -1, SIZE, SIZE, SIZE, 1);
        String f = g.constant("filter", filter, 3, 3, 3, 1, CHANNELS);
        String c = g.constant("bias", bias, CHANNELS);
        String fa = branch(g, "left", a, f, c);
        String fb = branch(g, "right", b, f, c);
        String diff = g.sub("diff", fb, fa);
        String channelsFirst = g.transpose("channels_first", diff, 0, 4, 1, 2, 3);
        String flat = g.reshape("flatten", channelsFirst, -1, 16);
        String logits = g.matMul("logits", flat, g.constant("weights", weights, 16, 2));
        g.identity("probabilities", g.softmax("softmax", logits));
        return g.build();
    }

    private static String branch(TfGraphBuilder g, String name, String input, String filter, String bias) {
        String conv = g.biasAdd(name + "/bias", g.conv3dSame(name + "/conv", input, filter), bias);
        return g.avgPool3d(name + "/pool", g.leakyRelu(name + "/act", conv, ALPHA), 2);
    }

    private static float[] serve(Path dir, float[] a, float[] b) throws Exception {
        TensorFlowRuntime.engine();
        Criteria<NDList, NDList> criteria = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(dir).optEngine("TensorFlow").optTranslator(new NoopTranslator()).build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel();
                Predictor<NDList, NDList> predictor = model.newPredictor();
                NDManager manager = NDManager.newBaseManager(Device.cpu(), "TensorFlow")) {
            Shape shape = new Shape(1, SIZE, SIZE, SIZE, 1);
            NDArray left = manager.create(a, shape);
            NDArray right = manager.create(b, shape);
            return predictor.predict(new NDList(left, right)).head().toFloatArray();
        }
    }

    /** The same network in plain Java, NDHWC with one batch item. */
    private float[] reference(float[] a, float[] b) {
        float[] fa = referenceBranch(a);
        float[] fb = referenceBranch(b);
        float[] flat = new float[16];
        int half = SIZE / 2;
        for (int d = 0; d < half; d++) {
            for (int h = 0; h < half; h++) {
                for (int w = 0; w < half; w++) {
                    for (int ch = 0; ch < CHANNELS; ch++) {
                        int nhwc = ((d * half + h) * half + w) * CHANNELS + ch;
                        int chw = ((ch * half + d) * half + h) * half + w;
                        flat[chw] = fb[nhwc] - fa[nhwc];
                    }
                }
            }
        }
        float[] logits = new float[2];
        for (int o = 0; o < 2; o++) {
            for (int i = 0; i < 16; i++) {
                logits[o] += flat[i] * weights[i * 2 + o];
            }
        }
        double max = Math.max(logits[0], logits[1]);
        double e0 = Math.exp(logits[0] - max);
        double e1 = Math.exp(logits[1] - max);
        return new float[] {(float) (e0 / (e0 + e1)), (float) (e1 / (e0 + e1))};
    }

    private float[] referenceBranch(float[] input) {
        float[] conv = new float[SIZE * SIZE * SIZE * CHANNELS];
        for (int d = 0; d < SIZE; d++) {
            for (int h = 0; h < SIZE; h++) {
                for (int w = 0; w < SIZE; w++) {
                    for (int o = 0; o < CHANNELS; o++) {
                        double sum = bias[o];
                        for (int kd = 0; kd < 3; kd++) {
                            for (int kh = 0; kh < 3; kh++) {
                                for (int kw = 0; kw < 3; kw++) {
                                    int z = d + kd - 1;
                                    int y = h + kh - 1;
                                    int x = w + kw - 1;
                                    if (z >= 0 && z < SIZE && y >= 0 && y < SIZE && x >= 0 && x < SIZE) {
                                        sum += input[(z * SIZE + y) * SIZE + x]
                                                * filter[((kd * 3 + kh) * 3 + kw) * CHANNELS + o];
                                    }
                                }
                            }
                        }
                        conv[((d * SIZE + h) * SIZE + w) * CHANNELS + o] = (float) (sum > 0 ? sum : ALPHA * sum);
                    }
                }
            }
        }
        int half = SIZE / 2;
        float[] pooled = new float[half * half * half * CHANNELS];
        for (int d = 0; d < SIZE; d++) {
            for (int h = 0; h < SIZE; h++) {
                for (int w = 0; w < SIZE; w++) {
                    for (int o = 0; o < CHANNELS; o++) {
                        pooled[(((d / 2) * half + h / 2) * half + w / 2) * CHANNELS + o] +=
                                conv[((d * SIZE + h) * SIZE + w) * CHANNELS + o] / 8;
                    }
                }
            }
        }
        return pooled;
    }

    private float[] randoms(int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
