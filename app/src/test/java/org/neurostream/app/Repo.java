package org.neurostream.app;

import java.nio.file.Path;

/** Paths inside the checkout, for tests (surefire passes the reactor root as neurostream.repo). */
final class Repo {
    static Path root() {
        return Path.of(System.getProperty("neurostream.repo", "..")).toAbsolutePath().normalize();
    }

    static Path modelDir() {
        return root().resolve("models").resolve("change-classifier");
    }

    private Repo() {
    }
}
