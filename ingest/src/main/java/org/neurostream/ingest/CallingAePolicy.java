package org.neurostream.ingest;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Which calling AE titles may open a C-STORE association, and per-AE options.
 *
 * @param allowedAes empty: any AE title is accepted (the behaviour before allow-lists existed, so an upgrade
 *                   does not cut off scanners nobody listed); otherwise exactly these titles (case-sensitive, as
 *                   DICOM compares them)
 * @param options    per listed AE; AEs without an entry have no host restriction and the default quiet period
 */
public record CallingAePolicy(Set<String> allowedAes, Map<String, AeOptions> options) {

    /**
     * @param hosts       if not empty, the addresses this AE may call from (an AE title is trivially spoofed; an
     *                    address less so)
     * @param quietPeriod overrides the series quiet period for instances from this AE; null: the default
     */
    public record AeOptions(Set<String> hosts, Duration quietPeriod) {
        public AeOptions {
            hosts = Set.copyOf(hosts);
        }
    }

    public static final CallingAePolicy ANY = new CallingAePolicy(Set.of(), Map.of());

    public CallingAePolicy {
        allowedAes = Set.copyOf(allowedAes);
        options = Map.copyOf(options);
    }

    /** Why this association must be refused, or null if it may proceed. Names no patient data. */
    public String refusal(String callingAe, InetAddress peer) {
        if (allowedAes.isEmpty()) {
            return null;
        }
        if (!allowedAes.contains(callingAe)) {
            return "calling AE title '" + callingAe + "' is not in " + IngestConfig.CSTORE_ALLOWED_AES;
        }
        AeOptions o = options.get(callingAe);
        if (o != null && !o.hosts().isEmpty() && (peer == null || !o.hosts().contains(peer.getHostAddress()))) {
            return "calling AE title '" + callingAe + "' may not call from " + (peer == null ? "?" : peer.getHostAddress());
        }
        return null;
    }

    /** Null: the service default. */
    public Duration quietPeriodFor(String callingAe) {
        AeOptions o = options.get(callingAe);
        return o == null ? null : o.quietPeriod();
    }
}
