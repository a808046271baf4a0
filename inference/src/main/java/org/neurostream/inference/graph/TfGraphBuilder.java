package org.neurostream.inference.graph;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Builds a small float32 TensorFlow {@link GraphDef} node by node: just the ops NeuroStream's frozen models use.
 * Every method adds one node and returns its name; its single output is the tensor {@code name + ":0"}.
 * Layouts are TensorFlow's: NDHWC activations, [kd, kh, kw, in, out] Conv3D filters, [in, out] MatMul weights.
 */
public final class TfGraphBuilder {
    private final GraphDef.Builder graph = GraphDef.newBuilder();
    private final Set<String> names = new HashSet<>();

    /** A float input; -1 marks an unknown dimension (e.g. the batch). */
    public String placeholder(String name, long... shape) {
        return add(node(name, "Placeholder").putAttr("dtype", type(DataType.DT_FLOAT)).putAttr("shape", shape(shape)));
    }

    /** A float constant (frozen weights); {@code values} in row-major order of {@code shape}. */
    public String constant(String name, float[] values, long... shape) {
        requireSize(values.length, shape);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        TensorProto tensor = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shapeProto(shape))
                .setTensorContent(ByteString.copyFrom(bytes.array())).build();
        return add(node(name, "Const").putAttr("dtype", type(DataType.DT_FLOAT))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()));
    }

    /** An int32 vector constant (shapes and permutations). */
    public String intVector(String name, int... values) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_INT32)
                .setTensorShape(shapeProto(values.length));
        Arrays.stream(values).forEach(tensor::addIntVal);
        return add(node(name, "Const").putAttr("dtype", type(DataType.DT_INT32))
                .putAttr("value", AttrValue.newBuilder().setTensor(tensor).build()));
    }

    /** A float scalar constant (for element-wise arithmetic with broadcasting). */
    public String scalar(String name, float value) {
        return constant(name, new float[] {value});
    }

    /** Stride-1 3D convolution with SAME padding (output keeps the spatial size). */
    public String conv3dSame(String name, String input, String filter) {
        return conv3d(name, input, filter, "SAME");
    }

    /**
     * Stride-1, dilation-1 3D convolution; {@code padding} "SAME" or "VALID". Dilation is deliberately not offered:
     * TensorFlow's own CPU kernel rejects dilation above 1 (only oneDNN runs it), so dilated convolutions are built
     * as {@link #spaceToBatchNd} → VALID conv → {@link #batchToSpaceNd}, which every kernel runs.
     */
    public String conv3d(String name, String input, String filter, String padding) {
        if (!padding.equals("SAME") && !padding.equals("VALID")) {
            throw new IllegalArgumentException("padding must be SAME or VALID, got " + padding);
        }
        return add(floatOp(name, "Conv3D", input, filter)
                .putAttr("strides", ints(1, 1, 1, 1, 1)).putAttr("dilations", ints(1, 1, 1, 1, 1))
                .putAttr("padding", string(padding)).putAttr("data_format", string("NDHWC")));
    }

    /**
     * Pads the spatial axes by {@code paddings} (int32 [M, 2]) and moves {@code blockShape} (int32 [M]) blocks
     * into the batch: a dilated convolution becomes a plain one on each block.
     */
    public String spaceToBatchNd(String name, String input, String blockShape, String paddings) {
        return add(floatOp(name, "SpaceToBatchND", input, blockShape, paddings)
                .putAttr("Tblock_shape", type(DataType.DT_INT32)).putAttr("Tpaddings", type(DataType.DT_INT32)));
    }

    /** The inverse of {@link #spaceToBatchNd}, cropping {@code crops} (int32 [M, 2]) afterwards. */
    public String batchToSpaceNd(String name, String input, String blockShape, String crops) {
        return add(floatOp(name, "BatchToSpaceND", input, blockShape, crops)
                .putAttr("Tblock_shape", type(DataType.DT_INT32)).putAttr("Tcrops", type(DataType.DT_INT32)));
    }

    public String relu(String name, String input) {
        return add(floatOp(name, "Relu", input));
    }

    /** ELU with alpha 1 (TensorFlow's op has no alpha). */
    public String elu(String name, String input) {
        return add(floatOp(name, "Elu", input));
    }

    /** The Gauss error function, element-wise (exact GELU is built from it). */
    public String erf(String name, String input) {
        return add(floatOp(name, "Erf", input));
    }

    /** {@code a + b}, element-wise with broadcasting. */
    public String addV2(String name, String a, String b) {
        return add(floatOp(name, "AddV2", a, b));
    }

    /** {@code a * b}, element-wise with broadcasting. */
    public String mul(String name, String a, String b) {
        return add(floatOp(name, "Mul", a, b));
    }

    /**
     * Batch normalisation in training mode (FusedBatchNormV3, NDHWC): per channel, subtract the mean and divide by
     * sqrt(population variance + epsilon) over N, D, H, W, then scale and offset. With a batch of one that is
     * instance normalisation, as one fused op instead of five separate ones.
     */
    public String fusedBatchNormTraining3d(String name, String input, String scale, String offset, float epsilon) {
        String empty = constant(name + "/empty", new float[0], 0);
        return add(node(name, "FusedBatchNormV3").addInput(input).addInput(scale).addInput(offset).addInput(empty)
                .addInput(empty).putAttr("T", type(DataType.DT_FLOAT)).putAttr("U", type(DataType.DT_FLOAT))
                .putAttr("epsilon", AttrValue.newBuilder().setF(epsilon).build())
                .putAttr("exponential_avg_factor", AttrValue.newBuilder().setF(1f).build())
                .putAttr("data_format", string("NDHWC")).putAttr("is_training", bool(true)));
    }

    /** The int32 shape of a float tensor, known only when the graph runs. */
    public String shapeOf(String name, String input) {
        return add(node(name, "Shape").addInput(input).putAttr("T", type(DataType.DT_FLOAT))
                .putAttr("out_type", type(DataType.DT_INT32)));
    }

    /** Elements {@code begin .. begin+size-1} of an int32 vector. */
    public String sliceInt(String name, String input, int begin, int size) {
        String b = intVector(name + "/begin", begin);
        String s = intVector(name + "/size", size);
        return add(intOp(name, "Slice", input, b, s).putAttr("Index", type(DataType.DT_INT32)));
    }

    /** {@code a - b} for int32 tensors. */
    public String subInt(String name, String a, String b) {
        return add(intOp(name, "Sub", a, b));
    }

    /** {@code a + b} for int32 tensors. */
    public String addInt(String name, String a, String b) {
        return add(intOp(name, "AddV2", a, b));
    }

    /** Floored modulo for int32 tensors: the result has the divisor's sign, so it is never negative here. */
    public String floorModInt(String name, String a, String b) {
        return add(intOp(name, "FloorMod", a, b));
    }

    /** Stacks int32 tensors of one shape along a new axis. */
    public String packInt(String name, int axis, String... inputs) {
        return add(intOp(name, "Pack", inputs).putAttr("N", AttrValue.newBuilder().setI(inputs.length).build())
                .putAttr("axis", AttrValue.newBuilder().setI(axis).build()));
    }

    /** Adds a per-channel bias along the last axis. */
    public String biasAdd(String name, String input, String bias) {
        return add(floatOp(name, "BiasAdd", input, bias).putAttr("data_format", string("NHWC")));
    }

    public String leakyRelu(String name, String input, float alpha) {
        return add(floatOp(name, "LeakyRelu", input).putAttr("alpha", AttrValue.newBuilder().setF(alpha).build()));
    }

    /** Non-overlapping average pooling over {@code size}^3 windows (VALID padding, stride = size). */
    public String avgPool3d(String name, String input, int size) {
        return add(floatOp(name, "AvgPool3D", input)
                .putAttr("ksize", ints(1, size, size, size, 1)).putAttr("strides", ints(1, size, size, size, 1))
                .putAttr("padding", string("VALID")).putAttr("data_format", string("NDHWC")));
    }

    /** {@code |x|}, element-wise. */
    public String abs(String name, String input) {
        return add(floatOp(name, "Abs", input));
    }

    /** The logistic function 1 / (1 + e^-x), element-wise. */
    public String sigmoid(String name, String input) {
        return add(floatOp(name, "Sigmoid", input));
    }

    /** The mean over {@code axes} (dropped from the shape). */
    public String mean(String name, String input, int... axes) {
        String indices = intVector(name + "/axes", axes);
        return add(floatOp(name, "Mean", input, indices).putAttr("Tidx", type(DataType.DT_INT32))
                .putAttr("keep_dims", bool(false)));
    }

    /** {@code a - b}, element-wise. */
    public String sub(String name, String a, String b) {
        return add(floatOp(name, "Sub", a, b));
    }

    public String transpose(String name, String input, int... permutation) {
        String perm = intVector(name + "/perm", permutation);
        return add(floatOp(name, "Transpose", input, perm).putAttr("Tperm", type(DataType.DT_INT32)));
    }

    /** Reshape; one dimension may be -1 (inferred). */
    public String reshape(String name, String input, int... shape) {
        String target = intVector(name + "/shape", shape);
        return add(floatOp(name, "Reshape", input, target).putAttr("Tshape", type(DataType.DT_INT32)));
    }

    /** {@code a · b} for [n, k] · [k, m]. */
    public String matMul(String name, String a, String b) {
        return add(floatOp(name, "MatMul", a, b)
                .putAttr("transpose_a", bool(false)).putAttr("transpose_b", bool(false)));
    }

    /** The inputs joined along {@code axis} (in this order). */
    public String concat(String name, int axis, String... inputs) {
        String axisNode = add(node(name + "/axis", "Const").putAttr("dtype", type(DataType.DT_INT32))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                        .setDtype(DataType.DT_INT32).setTensorShape(shapeProto()).addIntVal(axis)).build()));
        NodeDef.Builder concat = floatOp(name, "ConcatV2", inputs).addInput(axisNode)
                .putAttr("N", AttrValue.newBuilder().setI(inputs.length).build())
                .putAttr("Tidx", type(DataType.DT_INT32));
        return add(concat);
    }

    /**
     * Nearest-neighbour upsampling by 2 along depth, height and width of an NDHWC tensor of known spatial size and
     * channels: each voxel becomes a 2x2x2 block (as PyTorch's repeat_interleave on each axis).
     */
    public String upsampleNearest3d(String name, String input, int depth, int height, int width, int channels) {
        String spread = reshape(name + "/spread", input, -1, depth, 1, height, 1, width, 1, channels);
        String multiples = intVector(name + "/multiples", 1, 1, 2, 1, 2, 1, 2, 1);
        String tiled = add(floatOp(name + "/tile", "Tile", spread, multiples).putAttr("Tmultiples",
                type(DataType.DT_INT32)));
        return reshape(name, tiled, -1, 2 * depth, 2 * height, 2 * width, channels);
    }

    /** Softmax over the last axis. */
    public String softmax(String name, String input) {
        return add(floatOp(name, "Softmax", input));
    }

    public String identity(String name, String input) {
        return add(floatOp(name, "Identity", input));
    }

    public GraphDef build() {
        return graph.build();
    }

    private static NodeDef.Builder node(String name, String op) {
        return NodeDef.newBuilder().setName(name).setOp(op);
    }

    private static NodeDef.Builder floatOp(String name, String op, String... inputs) {
        return typedOp(name, op, DataType.DT_FLOAT, inputs);
    }

    private static NodeDef.Builder intOp(String name, String op, String... inputs) {
        return typedOp(name, op, DataType.DT_INT32, inputs);
    }

    private static NodeDef.Builder typedOp(String name, String op, DataType dtype, String... inputs) {
        NodeDef.Builder node = node(name, op).putAttr("T", type(dtype));
        for (String input : inputs) {
            node.addInput(input);
        }
        return node;
    }

    private String add(NodeDef.Builder node) {
        if (!names.add(node.getName())) {
            throw new IllegalArgumentException("duplicate node name " + node.getName());
        }
        for (String input : node.getInputList()) {
            if (!names.contains(input)) {
                throw new IllegalArgumentException(node.getName() + " reads unknown node " + input);
            }
        }
        graph.addNode(node);
        return node.getName();
    }

    private static void requireSize(int count, long[] shape) {
        long expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (expected != count) {
            throw new IllegalArgumentException(count + " values for shape " + Arrays.toString(shape));
        }
    }

    static TensorShapeProto shapeProto(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return shape.build();
    }

    private static AttrValue shape(long... dims) {
        return AttrValue.newBuilder().setShape(shapeProto(dims)).build();
    }

    private static AttrValue type(DataType type) {
        return AttrValue.newBuilder().setType(type).build();
    }

    private static AttrValue string(String value) {
        return AttrValue.newBuilder().setS(ByteString.copyFromUtf8(value)).build();
    }

    private static AttrValue bool(boolean value) {
        return AttrValue.newBuilder().setB(value).build();
    }

    private static AttrValue ints(long... values) {
        AttrValue.ListValue.Builder list = AttrValue.ListValue.newBuilder();
        Arrays.stream(values).forEach(list::addI);
        return AttrValue.newBuilder().setList(list).build();
    }
}
