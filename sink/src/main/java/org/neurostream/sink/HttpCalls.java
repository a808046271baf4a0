package org.neurostream.sink;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/** The HTTP exchange the STOW-RS and FHIR targets share. */
final class HttpCalls {
    private HttpCalls() {
    }

    /**
     * A server may close an idle keep-alive connection just as the client picks it from its pool (Orthanc does
     * after about a second): such a failure is met once more at once. The targets' requests are idempotent (same
     * ids), so sending one twice is harmless. A refused connection or a timeout is not repeated here: that is the
     * retry policy's business.
     */
    static HttpResponse<String> send(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException | ConnectException e) {
            throw e;
        } catch (IOException e) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
