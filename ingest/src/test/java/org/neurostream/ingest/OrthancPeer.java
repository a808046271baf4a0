package org.neurostream.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.neurostream.pacs.LocalOrthanc;

/**
 * A real Orthanc (pacs' {@link LocalOrthanc}) as the third-party peer of the STOW-RS and change-feed doors, with the
 * two things those tests need that LocalOrthanc does not configure: a StableAge of 1 s instead of 60 (through a
 * launcher that hands Orthanc a config directory: it merges every .json file in it), and REST calls to register us
 * as a DICOMweb server and to make it STOW.
 */
final class OrthancPeer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static boolean available() {
        return Files.isExecutable(LocalOrthanc.DEFAULT_EXECUTABLE) && Files.exists(LocalOrthanc.DICOMWEB_PLUGIN);
    }

    static LocalOrthanc start(Path workDir) throws Exception {
        Files.createDirectories(workDir);
        Path launcher = workDir.resolve("orthanc-stable-age-1.sh");
        Files.writeString(launcher, String.join("\n",
                "#!/bin/sh",
                "# LocalOrthanc runs: <this> --logdir=DIR CONFIG.json",
                "conf=\"$(dirname \"$2\")/conf.d\"",
                "mkdir -p \"$conf\"",
                "cp \"$2\" \"$conf/orthanc.json\"",
                "printf '{\"StableAge\": 1}\\n' > \"$conf/stable-age.json\"",
                "exec " + LocalOrthanc.DEFAULT_EXECUTABLE + " \"$1\" \"$conf\"", ""));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return LocalOrthanc.builder(workDir).executable(launcher).start();
    }

    /** Uploads the files through REST (POST /instances) and returns the Orthanc id of their study. */
    static String upload(LocalOrthanc orthanc, List<Path> files) throws Exception {
        String instance = null;
        for (Path file : files) {
            instance = orthanc.upload(file);
        }
        return orthanc.getJson("/instances/" + instance + "/study").get("ID").asText();
    }

    /** Registers a DICOMweb server in Orthanc's DICOMweb plugin (PUT /dicom-web/servers/{name}). */
    static void registerDicomWebServer(LocalOrthanc orthanc, String name, String url, String bearerToken)
            throws Exception {
        var body = JSON.createObjectNode().put("Url", url);
        if (bearerToken != null) {
            body.putObject("HttpHeaders").put("Authorization", "Bearer " + bearerToken);
        }
        send(HttpRequest.newBuilder(URI.create(orthanc.restUrl() + "/dicom-web/servers/" + name))
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /** Orthanc's own STOW-RS client sends a study (POST /dicom-web/servers/{name}/stow). */
    static HttpResponse<String> stow(LocalOrthanc orthanc, String server, String orthancStudyId) throws Exception {
        var body = JSON.createObjectNode();
        body.putArray("Resources").add(orthancStudyId);
        return HTTP.send(HttpRequest.newBuilder(URI.create(orthanc.restUrl() + "/dicom-web/servers/" + server + "/stow"))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private OrthancPeer() {
    }
}
