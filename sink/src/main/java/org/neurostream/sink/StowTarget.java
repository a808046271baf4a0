package org.neurostream.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * DICOMweb STOW-RS (PS3.18 §10.5): one {@code multipart/related; type="application/dicom"} POST of the result's
 * objects to {@code <base>/studies}. Success means a 200 whose answer lists no failed SOP instance; a 4xx other
 * than 409 is a permanent failure (the PACS refuses the content), anything else is retried.
 */
public final class StowTarget implements DeliveryTarget {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FAILED_SOP_SEQUENCE = "00081198";
    private static final String RETRIEVE_URL = "00081190";

    private final URI studies;
    private final String authorization; // may be null
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param baseUrl       the DICOMweb root, e.g. {@code http://pacs:8042/dicom-web}
     * @param authorization the Authorization header's value, or null
     */
    public StowTarget(String baseUrl, String authorization, Duration timeout) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.studies = URI.create(base + "/studies");
        this.authorization = authorization == null || authorization.isBlank() ? null : authorization;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String name() {
        return "pacs-stow";
    }

    @Override
    public Delivered deliver(ResultPackage result) throws Exception {
        String boundary = "neurostream-" + result.sr().sopInstanceUid();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<String> ids = new ArrayList<>();
        for (DicomObject o : result.objects()) {
            body.write(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.write(o.bytes());
            body.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            ids.add(o.sopInstanceUid());
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest.Builder request = HttpRequest.newBuilder(studies).timeout(timeout)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response;
        try {
            response = HttpCalls.send(http, request.build());
        } catch (IOException e) {
            throw new IOException("STOW-RS to " + studies + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        int status = response.statusCode();
        if (status / 100 == 4 && status != 409 && status != 408 && status != 429) {
            throw new PermanentFailure("STOW-RS to " + studies + " refused with HTTP " + status);
        }
        if (status != 200) {
            throw new IOException("STOW-RS to " + studies + " answered HTTP " + status);
        }
        String location = studies.toString();
        if (!response.body().isBlank()) {
            JsonNode answer = JSON.readTree(response.body());
            JsonNode failed = answer.path(FAILED_SOP_SEQUENCE).path("Value");
            if (failed.isArray() && failed.size() > 0) {
                throw new IOException("STOW-RS to " + studies + ": " + failed.size() + " of " + ids.size()
                        + " instances failed");
            }
            JsonNode url = answer.path(RETRIEVE_URL).path("Value");
            if (url.isArray() && url.size() > 0) {
                location = url.get(0).asText();
            }
        }
        return new Delivered(location, false, ids);
    }
}
