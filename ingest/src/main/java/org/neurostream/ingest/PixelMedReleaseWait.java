package org.neurostream.ingest;

import com.pixelmed.network.Association;
import java.lang.reflect.Field;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PixelMed answers an A-RELEASE-RQ and then waits a fixed 5 s ({@code wait(5000)}, not "until the peer closes")
 * before closing the socket: every association thread lingers 5 s, and a stop during that wait has to interrupt
 * it. The wait is a private static with no setter, so it is shortened by reflection; if a PixelMed version renames
 * it, ingest still works, only with the 5 s linger.
 */
final class PixelMedReleaseWait {
    private static final Logger log = LoggerFactory.getLogger(PixelMedReleaseWait.class);
    private static final String FIELD = "associationReleaseToTransportConnectionCloseTimeoutInMilliseconds";

    static void set(Duration wait) {
        try {
            Field field = Association.class.getDeclaredField(FIELD);
            field.setAccessible(true);
            field.setInt(null, (int) wait.toMillis());
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("could not shorten PixelMed's post-release wait ({}); associations linger 5 s", e.toString());
        }
    }

    private PixelMedReleaseWait() {
    }
}
