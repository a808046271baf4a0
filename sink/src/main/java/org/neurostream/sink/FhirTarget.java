package org.neurostream.sink;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;

/**
 * FHIR R4 REST: each Observation, then the DiagnosticReport over them, by conditional create
 * ({@code POST} with {@code If-None-Exist: identifier=system|value}), so a retry or replay finds what the first
 * delivery made instead of making a second copy. A 4xx other than 408/409/412/429 is permanent (the server refuses
 * the content); other failures are retried.
 */
public final class FhirTarget implements DeliveryTarget {
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final String base;
    private final String authorization;
    private final Duration timeout;
    private final FhirResources resources;
    private final HttpClient http;

    public FhirTarget(String baseUrl, String authorization, Duration timeout, double declineThreshold) {
        this.base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.authorization = authorization == null || authorization.isBlank() ? null : authorization;
        this.timeout = timeout;
        this.resources = new FhirResources(declineThreshold);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "fhir";
    }

    @Override
    public Delivered deliver(ResultPackage p) throws Exception {
        List<String> refs = new ArrayList<>();
        List<Observation> observations = resources.observations(p);
        for (Observation o : observations) {
            refs.add(create("Observation", o, o.getIdentifierFirstRep()).ref());
        }
        DiagnosticReport report = resources.report(p, refs);
        Created created = create("DiagnosticReport", report, report.getIdentifierFirstRep());
        List<String> ids = new ArrayList<>(refs);
        ids.add(0, created.ref());
        return new Delivered(base + "/" + created.ref(), !created.isNew(), ids);
    }

    private record Created(String ref, boolean isNew) {
    }

    private Created create(String type, IBaseResource resource, Identifier key) throws Exception {
        IParser parser = FHIR.newJsonParser();
        String condition = "identifier=" + URLEncoder.encode(key.getSystem(), StandardCharsets.UTF_8) + "|"
                + URLEncoder.encode(key.getValue(), StandardCharsets.UTF_8);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/" + type)).timeout(timeout)
                .header("Content-Type", "application/fhir+json; charset=UTF-8")
                .header("Accept", "application/fhir+json")
                .header("If-None-Exist", condition)
                .POST(HttpRequest.BodyPublishers.ofString(parser.encodeResourceToString(resource),
                        StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = HttpCalls.send(http, request.build());
        } catch (IOException e) {
            throw new IOException("FHIR create of " + type + " at " + base + " failed: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status / 100 == 4 && status != 408 && status != 409 && status != 412 && status != 429) {
            throw new PermanentFailure("FHIR server " + base + " refused " + type + " with HTTP " + status);
        }
        if (status != 200 && status != 201) {
            throw new IOException("FHIR create of " + type + " at " + base + " answered HTTP " + status);
        }
        String ref = reference(type, response).orElseThrow(() -> new IOException("FHIR server " + base
                + " answered " + status + " to a " + type + " create without saying its id"));
        return new Created(ref, status == 201);
    }

    /** {@code Type/id} from Location or Content-Location (…/Type/id/_history/n), else from the returned body. */
    private static Optional<String> reference(String type, HttpResponse<String> response) {
        for (String header : List.of("Location", "Content-Location")) {
            Optional<String> value = response.headers().firstValue(header);
            if (value.isPresent()) {
                String v = value.get();
                int at = v.indexOf("/" + type + "/");
                if (at >= 0) {
                    String rest = v.substring(at + type.length() + 2);
                    int slash = rest.indexOf('/');
                    return Optional.of(type + "/" + (slash < 0 ? rest : rest.substring(0, slash)));
                }
            }
        }
        if (!response.body().isBlank()) {
            IBaseResource body = FHIR.newJsonParser().parseResource(response.body());
            if (body.getIdElement().hasIdPart()) {
                return Optional.of(type + "/" + body.getIdElement().getIdPart());
            }
        }
        return Optional.empty();
    }
}
