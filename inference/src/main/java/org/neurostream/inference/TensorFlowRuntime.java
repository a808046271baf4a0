package org.neurostream.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way NeuroStream reaches DJL's TensorFlow engine.
 *
 * <p>Maven Central's only TensorFlow 2.16.1 native build is DJL's CUDA jar, which DJL refuses on a machine without
 * a GPU and then tries to download from its CDN. So scripts/setup.sh extracts those libraries once and this class
 * points DJL at them through TENSORFLOW_LIBRARY_PATH before the engine first loads, and keeps DJL offline.
 *
 * <p>GPU: the same libraries run on a GPU when the host has CUDA 12.1 + cuDNN 8; DJL then reports a GPU count
 * above zero and {@link #device()} chooses {@code gpu(0)}. Nothing else changes. The build machines have no GPU,
 * so that path is configuration only and the tests exercise the CPU path.
 */
public final class TensorFlowRuntime {
    public static final String ENGINE_NAME = "TensorFlow";
    public static final String LIBRARY_PATH_KEY = "TENSORFLOW_LIBRARY_PATH";
    public static final String REQUIRED_LIBRARY = "libtensorflow_cc.so.2";
    private static final Logger LOG = LoggerFactory.getLogger(TensorFlowRuntime.class);
    private static Engine engine;

    private TensorFlowRuntime() {
    }

    /** The TensorFlow engine, configured and checked on first use. */
    public static synchronized Engine engine() {
        if (engine == null) {
            forceOffline();
            Path libraries = resolveLibraryPath(System.getProperties(), System.getenv(), Path.of(
                    System.getProperty("user.home")));
            checkLibraryDirectory(libraries);
            System.setProperty(LIBRARY_PATH_KEY, libraries.toString());
            engine = Engine.getEngine(ENGINE_NAME);
            LOG.info("TensorFlow {} from {}; {}; oneDNN: {}", engine.getVersion(), libraries, describeDevice(device(
                    engine)), oneDnnState(System.getenv()));
        }
        return engine;
    }

    /** The device models should run on: the first GPU when DJL sees one, else the CPU. */
    public static Device device() {
        return device(engine());
    }

    static Device device(Engine engine) {
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** "GPU gpu(0)" or "CPU cpu()": for logs and for the model info of every result. */
    public static String describeDevice(Device device) {
        return (device.isGpu() ? "GPU " : "CPU ") + device;
    }

    /** System property first, then environment, then the set-up script's default under the home directory. */
    static Path resolveLibraryPath(Properties properties, Map<String, String> environment, Path home) {
        String configured = properties.getProperty(LIBRARY_PATH_KEY);
        if (configured == null || configured.isBlank()) {
            configured = environment.get(LIBRARY_PATH_KEY);
        }
        if (configured == null || configured.isBlank()) {
            return home.resolve(".neurostream").resolve("tensorflow-2.16.1");
        }
        return Path.of(configured);
    }

    static void checkLibraryDirectory(Path directory) {
        if (!Files.isRegularFile(directory.resolve(REQUIRED_LIBRARY))) {
            throw new IllegalStateException("TensorFlow native libraries not found: " + directory + " has no "
                    + REQUIRED_LIBRARY + " (set " + LIBRARY_PATH_KEY
                    + " to the extracted TensorFlow 2.16.1 libraries, or run scripts/setup.sh)");
        }
    }

    static String oneDnnState(Map<String, String> environment) {
        String value = environment.get("TF_ENABLE_ONEDNN_OPTS");
        return value == null ? "TF_ENABLE_ONEDNN_OPTS not set (3D convolutions run much slower on CPU)"
                : "TF_ENABLE_ONEDNN_OPTS=" + value;
    }

    /** DJL must never download anything at run time; system properties work even when the environment lacks them. */
    public static void forceOffline() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("DJL_OFFLINE", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
