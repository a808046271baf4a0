package org.neurostream.app;

import java.io.IOException;
import java.io.OutputStream;

/** Writes everything to two streams: tests keep the console and capture the services' log lines to check them. */
public final class TeeOutputStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    public TeeOutputStream(OutputStream a, OutputStream b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public synchronized void write(int x) throws IOException {
        a.write(x);
        b.write(x);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) throws IOException {
        a.write(bytes, off, len);
        b.write(bytes, off, len);
    }
}
