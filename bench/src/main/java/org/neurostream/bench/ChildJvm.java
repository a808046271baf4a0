package org.neurostream.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of this same program in a child JVM (same java, class path and JVM options) with changed
 * environment variables: TensorFlow's native code reads TF_ENABLE_ONEDNN_OPTS once, when it loads, so "with and
 * without oneDNN" needs a process each.
 */
public final class ChildJvm {
    /** The child's command line: this JVM's java, options and class path, then {@code mainClass} and its args. */
    public static List<String> command(String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        // -Xmx and -D options as the parent has them; agents (a debugger, JFR) are not handed down.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-agentlib") && !a.startsWith("-javaagent")
                        && !a.startsWith("-XX:StartFlightRecording"))
                .forEach(command::add);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * Runs the child (its output appended to {@code log}) for at most {@code timeoutMinutes}; returns its exit code,
     * or -1 when it had to be stopped at the timeout.
     */
    public static int run(String mainClass, List<String> args, Map<String, String> environment, Path log,
            long timeoutMinutes) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(mainClass, args)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        Process child = builder.start();
        if (!child.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            child.destroyForcibly().waitFor();
            return -1;
        }
        return child.exitValue();
    }

    private ChildJvm() {
    }
}
