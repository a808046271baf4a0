package org.neurostream.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorFlowRuntimeTest {
    private final Path home = Path.of("/home/someone");

    @Test
    void systemPropertyWinsOverEnvironment() {
        Properties properties = new Properties();
        properties.setProperty("TENSORFLOW_LIBRARY_PATH", "/from/property");
        Path path = TensorFlowRuntime.resolveLibraryPath(properties,
                Map.of("TENSORFLOW_LIBRARY_PATH", "/from/env"), home);
        assertThat(path).isEqualTo(Path.of("/from/property"));
    }

    @Test
    void environmentIsUsedWhenNoProperty() {
        Path path = TensorFlowRuntime.resolveLibraryPath(new Properties(),
                Map.of("TENSORFLOW_LIBRARY_PATH", "/from/env"), home);
        assertThat(path).isEqualTo(Path.of("/from/env"));
    }

    @Test
    void defaultsToTheSetupScriptsDirectory() {
        Path path = TensorFlowRuntime.resolveLibraryPath(new Properties(), Map.of(), home);
        assertThat(path).isEqualTo(Path.of("/home/someone/.neurostream/tensorflow-2.16.1"));
    }

    @Test
    void aDirectoryWithoutTheLibrariesFailsWithAHint(@TempDir Path empty) {
        assertThatThrownBy(() -> TensorFlowRuntime.checkLibraryDirectory(empty))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("libtensorflow_cc.so.2")
                .hasMessageContaining("run scripts/setup.sh");
    }

    @Test
    void reportsWhetherOneDnnIsEnabled() {
        assertThat(TensorFlowRuntime.oneDnnState(Map.of("TF_ENABLE_ONEDNN_OPTS", "1")))
                .isEqualTo("TF_ENABLE_ONEDNN_OPTS=1");
        assertThat(TensorFlowRuntime.oneDnnState(Map.of())).contains("not set");
    }

    @Test
    void loadsTheTensorFlowEngineOfflineOnTheCpu() {
        assertThat(TensorFlowRuntime.engine().getEngineName()).isEqualTo("TensorFlow");
        assertThat(System.getProperty("ai.djl.offline")).isEqualTo("true");
        // The build machines have no GPU: models must fall back to the CPU.
        assertThat(TensorFlowRuntime.describeDevice(TensorFlowRuntime.device())).startsWith("CPU");
    }
}
