package org.neurostream.imaging;

/**
 * Separable Gaussian smoothing of a volume, sigma in millimetres (each axis uses its own spacing); edges are
 * extended by their last voxel. Used for partial volume in phantoms and for smooth intensity ratio fields.
 */
public final class GaussianFilter {
    private GaussianFilter() {
    }

    public static Volume smooth(Volume image, double sigmaMm) {
        float[] data = image.data().clone();
        int[] dims = {image.nx(), image.ny(), image.nz()};
        int[] strides = {1, image.nx(), image.nx() * image.ny()};
        for (int axis = 0; axis < 3; axis++) {
            double sigma = sigmaMm / image.spacing()[axis];
            int radius = (int) Math.ceil(2.5 * sigma);
            double[] kernel = new double[2 * radius + 1];
            double total = 0;
            for (int t = -radius; t <= radius; t++) {
                kernel[t + radius] = Math.exp(-0.5 * t * t / (sigma * sigma));
                total += kernel[t + radius];
            }
            for (int t = 0; t < kernel.length; t++) {
                kernel[t] /= total;
            }
            float[] out = new float[data.length];
            int n = dims[axis];
            int stride = strides[axis];
            for (int start = 0; start < data.length; start++) {
                int position = (start / stride) % n;
                double v = 0;
                for (int t = -radius; t <= radius; t++) {
                    int q = Math.max(0, Math.min(n - 1, position + t));
                    v += kernel[t + radius] * data[start + (q - position) * stride];
                }
                out[start] = (float) v;
            }
            data = out;
        }
        return image.withData(data);
    }
}
