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

    /** Stride-1 3D convolution with SAME padding (output keeps the spatial size). */
    public String conv3dSame(String name, String input, String filter) {
        return add(floatOp(name, "Conv3D", input, filter)
                .putAttr("strides", ints(1, 1, 1, 1, 1)).putAttr("dilations", ints(1, 1, 1, 1, 1))
                .putAttr("padding", string("SAME")).putAttr("data_format", string("NDHWC")));
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
        NodeDef.Builder node = node(name, op).putAttr("T", type(DataType.DT_FLOAT));
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
