package org.neurostream.sink;

/** Somewhere an SR goes. Delivering the same SR again must be harmless (replays, retries). */
public interface DeliveryTarget {
    /** Short name for logs and dead letters, e.g. {@code folder} or {@code pacs}. */
    String name();

    /** Delivers the SR and returns where it went (a path or URL); throws with a clear message on failure. */
    String deliver(SrDocument sr) throws Exception;
}
