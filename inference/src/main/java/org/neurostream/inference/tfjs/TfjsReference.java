package org.neurostream.inference.tfjs;

import org.apache.commons.math3.special.Erf;
import org.neurostream.inference.tfjs.TfjsModel.Activation;
import org.neurostream.inference.tfjs.TfjsModel.ActivationLayer;
import org.neurostream.inference.tfjs.TfjsModel.Conv3d;
import org.neurostream.inference.tfjs.TfjsModel.Layer;

/**
 * The same network in plain Java loops, with no TensorFlow involved: the yardstick the converted graphs are tested
 * against. Written for clarity, not speed (a 20^3 input through mindgrab takes seconds); batch size 1, NDHWC.
 */
public final class TfjsReference {
    private TfjsReference() {
    }

    /** The model's output (logits for MeshNet) for one [d, h, w, inputChannels] input, as [d, h, w, classes]. */
    public static float[] run(TfjsModel model, float[] input, int d, int h, int w) {
        if (input.length != d * h * w * model.inputChannels()) {
            throw new IllegalArgumentException("input has " + input.length + " values, expected " + d + "x" + h + "x"
                    + w + "x" + model.inputChannels());
        }
        float[] x = input;
        for (Layer layer : model.layers()) {
            if (layer instanceof Conv3d conv) {
                x = convolve(conv, x, new int[] {d, h, w});
                if (conv.instanceNorm()) {
                    instanceNormalise(x, conv.filters());
                }
                activate(conv.activation(), x);
            } else if (layer instanceof ActivationLayer activation) {
                activate(activation.activation(), x);
            }
        }
        return x;
    }

    /** Softmax over the last axis of [..., classes]. */
    public static float[] softmax(float[] logits, int classes) {
        float[] out = new float[logits.length];
        for (int start = 0; start < logits.length; start += classes) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[start + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(logits[start + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                out[start + c] = (float) (Math.exp(logits[start + c] - max) / sum);
            }
        }
        return out;
    }

    /** "Same" zero padding with dilation r and odd kernel k: tap t reads offset (t - k/2)·r, symmetric. */
    private static float[] convolve(Conv3d conv, float[] in, int[] size) {
        int cin = conv.inChannels();
        int cout = conv.filters();
        int[] k = conv.kernel();
        int[] r = conv.dilation();
        float[] weights = conv.weights();
        float[] out = new float[size[0] * size[1] * size[2] * cout];
        double[] sum = new double[cout];
        for (int z = 0; z < size[0]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[2]; x++) {
                    for (int o = 0; o < cout; o++) {
                        sum[o] = conv.bias() == null ? 0 : conv.bias()[o];
                    }
                    for (int kz = 0; kz < k[0]; kz++) {
                        int sz = z + (kz - k[0] / 2) * r[0];
                        if (sz < 0 || sz >= size[0]) {
                            continue;
                        }
                        for (int ky = 0; ky < k[1]; ky++) {
                            int sy = y + (ky - k[1] / 2) * r[1];
                            if (sy < 0 || sy >= size[1]) {
                                continue;
                            }
                            for (int kx = 0; kx < k[2]; kx++) {
                                int sx = x + (kx - k[2] / 2) * r[2];
                                if (sx < 0 || sx >= size[2]) {
                                    continue;
                                }
                                int source = ((sz * size[1] + sy) * size[2] + sx) * cin;
                                int tap = ((kz * k[1] + ky) * k[2] + kx) * cin * cout;
                                for (int c = 0; c < cin; c++) {
                                    double value = in[source + c];
                                    int row = tap + c * cout;
                                    for (int o = 0; o < cout; o++) {
                                        sum[o] += value * weights[row + o];
                                    }
                                }
                            }
                        }
                    }
                    int target = ((z * size[1] + y) * size[2] + x) * cout;
                    for (int o = 0; o < cout; o++) {
                        out[target + o] = (float) sum[o];
                    }
                }
            }
        }
        return out;
    }

    /** Per channel: subtract the mean over all voxels, divide by sqrt(population variance + epsilon). */
    private static void instanceNormalise(float[] x, int channels) {
        int voxels = x.length / channels;
        for (int c = 0; c < channels; c++) {
            double mean = 0;
            for (int v = 0; v < voxels; v++) {
                mean += x[v * channels + c];
            }
            mean /= voxels;
            double variance = 0;
            for (int v = 0; v < voxels; v++) {
                double centred = x[v * channels + c] - mean;
                variance += centred * centred;
            }
            variance /= voxels;
            double scale = 1 / Math.sqrt(variance + TfjsModel.INSTANCE_NORM_EPSILON);
            for (int v = 0; v < voxels; v++) {
                x[v * channels + c] = (float) ((x[v * channels + c] - mean) * scale);
            }
        }
    }

    private static void activate(Activation activation, float[] x) {
        for (int n = 0; n < x.length; n++) {
            double v = x[n];
            x[n] = (float) switch (activation) {
                case LINEAR -> v;
                case RELU -> Math.max(0, v);
                case ELU -> v > 0 ? v : Math.expm1(v);
                case GELU -> 0.5 * v * (1 + Erf.erf(v / Math.sqrt(2)));
            };
        }
    }
}
