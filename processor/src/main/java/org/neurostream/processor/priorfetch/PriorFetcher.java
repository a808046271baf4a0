package org.neurostream.processor.priorfetch;

import java.util.Optional;
import org.neurostream.processor.pairing.PatientPairing.FetchRequest;

/**
 * Retrieves a missing prior from the PACS. Requests run in the background so a slow PACS never stalls the
 * stream; a retrieved study comes back the ordinary way (through ingest, as series events), where pairing picks
 * it up. Only a fetch that ends without sending anything reports back, so the follow-up need not wait for its
 * deadline.
 */
public interface PriorFetcher extends AutoCloseable {
    /** Starts a retrieve for the follow-up in {@code request}; returns at once. */
    void request(String patientKey, FetchRequest request);

    /** Why the fetch for this follow-up series ended with nothing on the way, once; empty while it may still deliver. */
    Optional<String> takeEnded(String patientKey, String followUpSeriesUid);

    @Override
    default void close() {
    }

    /** No PACS configured: nothing is fetched. */
    PriorFetcher NONE = new PriorFetcher() {
        @Override
        public void request(String patientKey, FetchRequest request) {
        }

        @Override
        public Optional<String> takeEnded(String patientKey, String followUpSeriesUid) {
            return Optional.of("prior fetch is not configured");
        }
    };
}
