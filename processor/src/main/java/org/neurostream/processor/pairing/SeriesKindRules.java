package org.neurostream.processor.pairing;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.neurostream.schemas.SeriesReceived;

/**
 * Decides from the DICOM headers what kind of series an event is: 3D T1, 3D or 2D FLAIR, or ignored with a reason.
 * The rules are data (an ordered list of regular expressions per header attribute, first match wins), so a site
 * can adapt them to its own protocol names without a code change; the defaults are in {@code series-kinds.json}.
 * Headers only: whether the instances make a volume is for assembly to decide.
 */
public final class SeriesKindRules {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)}");

    /** The header values a rule may test, by the name rules use. */
    private static final Map<String, Function<SeriesReceived, String>> ATTRIBUTES = attributes();

    private static final SeriesKindRules DEFAULTS = loadDefaults();

    private final List<Rule> rules;

    private SeriesKindRules(List<Rule> rules) {
        this.rules = rules;
    }

    public static SeriesKindRules defaults() {
        return DEFAULTS;
    }

    /** Rules from a site's file (same format as the defaults); an error names the file and the bad rule. */
    public static SeriesKindRules load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read series-kind rules " + file + ": " + e.getMessage(), e);
        }
    }

    public SeriesKind classify(SeriesReceived series) {
        for (Rule rule : rules) {
            if (rule.applies(series)) {
                return new SeriesKind(rule.kind, rule.reason(series));
            }
        }
        return new SeriesKind(SeriesKind.Kind.IGNORED, "no series-kind rule matched");
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RuleFile(List<RuleSpec> rules) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record RuleSpec(String kind, String reason, Map<String, String> match, Map<String, String> notMatch) {
    }

    private record Rule(SeriesKind.Kind kind, String reasonTemplate, Map<String, Pattern> match,
            Map<String, Pattern> notMatch) {
        boolean applies(SeriesReceived s) {
            for (var e : match.entrySet()) {
                if (!e.getValue().matcher(value(e.getKey(), s)).find()) {
                    return false;
                }
            }
            for (var e : notMatch.entrySet()) {
                if (e.getValue().matcher(value(e.getKey(), s)).find()) {
                    return false;
                }
            }
            return true;
        }

        String reason(SeriesReceived s) {
            Matcher m = PLACEHOLDER.matcher(reasonTemplate);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = ATTRIBUTES.containsKey(m.group(1)) ? value(m.group(1), s) : m.group();
                m.appendReplacement(out, Matcher.quoteReplacement(v.isEmpty() ? "(none)" : v));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    static SeriesKindRules parse(InputStream in, String source) throws IOException {
        RuleFile file = JSON.readValue(in, RuleFile.class);
        if (file.rules() == null || file.rules().isEmpty()) {
            throw new IllegalArgumentException(source + ": no rules");
        }
        List<Rule> rules = new ArrayList<>();
        for (int n = 0; n < file.rules().size(); n++) {
            RuleSpec spec = file.rules().get(n);
            String where = source + ", rule " + (n + 1);
            SeriesKind.Kind kind;
            try {
                kind = SeriesKind.Kind.valueOf(String.valueOf(spec.kind()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": kind '" + spec.kind() + "' is not one of "
                        + List.of(SeriesKind.Kind.values()));
            }
            if (spec.reason() == null || spec.reason().isBlank()) {
                throw new IllegalArgumentException(where + ": every rule needs a reason (it is the audit trail)");
            }
            rules.add(new Rule(kind, spec.reason(), patterns(spec.match(), where), patterns(spec.notMatch(), where)));
        }
        return new SeriesKindRules(List.copyOf(rules));
    }

    private static Map<String, Pattern> patterns(Map<String, String> specs, String where) {
        Map<String, Pattern> out = new LinkedHashMap<>();
        if (specs == null) {
            return out;
        }
        specs.forEach((attribute, regex) -> {
            if (!ATTRIBUTES.containsKey(attribute)) {
                throw new IllegalArgumentException(where + ": unknown attribute '" + attribute + "', known: "
                        + ATTRIBUTES.keySet());
            }
            out.put(attribute, Pattern.compile(regex, Pattern.CASE_INSENSITIVE));
        });
        return out;
    }

    private static String value(String attribute, SeriesReceived s) {
        String v = ATTRIBUTES.get(attribute).apply(s);
        return v == null ? "" : v.trim();
    }

    private static Map<String, Function<SeriesReceived, String>> attributes() {
        Map<String, Function<SeriesReceived, String>> a = new LinkedHashMap<>();
        a.put("modality", SeriesReceived::getModality);
        a.put("imageType", SeriesReceived::getImageType);
        a.put("bodyPartExamined", SeriesReceived::getBodyPartExamined);
        a.put("seriesDescription", SeriesReceived::getSeriesDescription);
        a.put("protocolName", SeriesReceived::getProtocolName);
        a.put("name", s -> (nullToEmpty(s.getSeriesDescription()) + " " + nullToEmpty(s.getProtocolName())).trim());
        a.put("scanningSequence", SeriesReceived::getScanningSequence);
        a.put("sequenceVariant", SeriesReceived::getSequenceVariant);
        a.put("mrAcquisitionType", SeriesReceived::getMrAcquisitionType);
        return java.util.Collections.unmodifiableMap(a);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static SeriesKindRules loadDefaults() {
        try (InputStream in = SeriesKindRules.class.getResourceAsStream("series-kinds.json")) {
            return parse(in, "series-kinds.json (built in)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
