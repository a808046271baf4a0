package org.neurostream.inference.tfjs;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test suite finds the brainchop TF.js source models (not part of the repository): system property
 * neurostream.brainchop, else the workspace's shared/data/brainchop beside the checkout. Tests that need them are
 * skipped, with this reason, where they are absent; the shipped converted model is always tested.
 */
final class BrainchopData {
    private BrainchopData() {
    }

    static Path repository() {
        return Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize();
    }

    static Path root() {
        String configured = System.getProperty("neurostream.brainchop");
        Path root = configured != null ? Path.of(configured)
                : repository().resolveSibling("shared").resolve("data").resolve("brainchop");
        assumeTrue(Files.isRegularFile(root.resolve("mindgrab").resolve("model.json")),
                "brainchop source models not found at " + root + " (set -Dneurostream.brainchop)");
        return root;
    }
}
