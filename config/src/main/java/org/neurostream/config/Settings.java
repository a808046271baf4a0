package org.neurostream.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Settings from a properties file, each key overridable by an environment variable named {@code NEUROSTREAM_} +
 * the key in upper case with dots and dashes as underscores ({@code sink.pacs.host} ←
 * {@code NEUROSTREAM_SINK_PACS_HOST}), as Kubernetes ConfigMaps and Secrets like to pass them. One file can hold
 * the settings of every service; each service reads its own typed record from it.
 */
public final class Settings {
    public static final String ENV_PREFIX = "NEUROSTREAM_";

    private final Properties props;
    private final Map<String, String> env;

    public Settings(Properties props, Map<String, String> env) {
        this.props = props;
        this.env = env;
    }

    /** The file's settings (none when {@code file} is null) with the process environment on top. */
    public static Settings load(Path file) throws IOException {
        return load(file, System.getenv());
    }

    public static Settings load(Path file, Map<String, String> env) throws IOException {
        Properties props = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(file)) {
                props.load(in);
            }
        }
        return new Settings(props, env);
    }

    /** The environment variable that overrides a key. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String get(String key, String fallback) {
        String fromEnv = env.get(envName(key));
        if (fromEnv != null) {
            return fromEnv.trim();
        }
        return props.getProperty(key, fallback).trim();
    }

    /**
     * The file's keys under {@code prefix}, with the prefix removed: how client settings a service does not know by
     * name (e.g. Kafka security or timeouts) pass through. File only: environment names cannot be mapped back to
     * dotted keys unambiguously.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String key : props.stringPropertyNames()) {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                out.put(key.substring(prefix.length()), props.getProperty(key).trim());
            }
        }
        return out;
    }

    public String required(String key) {
        String value = get(key, "");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("missing setting " + key + " (or " + envName(key) + ")");
        }
        return value;
    }

    public boolean bool(String key, boolean fallback) {
        return Boolean.parseBoolean(get(key, String.valueOf(fallback)));
    }

    public int integer(String key, int fallback) {
        String value = get(key, String.valueOf(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a whole number, not '" + value + "'");
        }
    }

    public double decimal(String key, double fallback) {
        String value = get(key, String.valueOf(fallback));
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + key + " must be a number, not '" + value + "'");
        }
    }

    public Path path(String key, String fallback) {
        return Path.of(get(key, fallback));
    }

    /** A path that may be left empty: empty (or unset) means "off". */
    public Optional<Path> optionalPath(String key) {
        String value = get(key, "").trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }
}
