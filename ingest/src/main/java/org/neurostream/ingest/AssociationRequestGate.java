package org.neurostream.ingest;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the A-ASSOCIATE-RQ ourselves before PixelMed sees the connection, because PixelMed's acceptor accepts any
 * calling AE title and offers no hook to refuse one. A refused peer gets a proper A-ASSOCIATE-RJ ("calling AE title
 * not recognized", PS3.8 9.3.4); an accepted one is handed on as a socket that replays the bytes read here.
 */
final class AssociationRequestGate {
    private static final int A_ASSOCIATE_RQ = 0x01;
    private static final int A_ASSOCIATE_RJ = 0x03;
    /** Far above any real request (a few presentation contexts take < 4 KB); guards against a hostile length. */
    private static final int MAX_REQUEST_BYTES = 1 << 20;
    private static final int REJECTED_PERMANENT = 1;
    private static final int SERVICE_USER = 1;
    private static final int CALLING_AE_NOT_RECOGNIZED = 3;

    record Request(String calledAe, String callingAe, byte[] pdu) {
    }

    /** Reads one A-ASSOCIATE-RQ PDU; throws if the peer sent something else. */
    static Request read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[6];
        data.readFully(header);
        long length = ((header[2] & 0xffL) << 24) | ((header[3] & 0xff) << 16) | ((header[4] & 0xff) << 8)
                | (header[5] & 0xff);
        if ((header[0] & 0xff) != A_ASSOCIATE_RQ || length < 68 || length > MAX_REQUEST_BYTES) {
            throw new IOException("expected an A-ASSOCIATE-RQ, got PDU type 0x" + Integer.toHexString(header[0] & 0xff)
                    + " of " + length + " bytes");
        }
        byte[] pdu = new byte[6 + (int) length];
        System.arraycopy(header, 0, pdu, 0, 6);
        data.readFully(pdu, 6, (int) length);
        // After the header: protocol version (2), reserved (2), called AE (16), calling AE (16).
        return new Request(ae(pdu, 10), ae(pdu, 26), pdu);
    }

    private static String ae(byte[] pdu, int offset) {
        return new String(pdu, offset, 16, StandardCharsets.US_ASCII).strip();
    }

    /** The transfer syntaxes our C-STORE SCP accepts (PixelMed's unencapsulated policy): what the processor decodes. */
    static final java.util.Set<String> ACCEPTED_TRANSFER_SYNTAXES = java.util.Set.of(
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2");

    /**
     * The proposed presentation contexts that offer none of our transfer syntaxes, as "abstract syntax: [transfer
     * syntaxes]" (UIDs only): PixelMed rejects each such context, and the sender then cannot send those objects
     * (e.g. JPEG 2000 it cannot decompress). Parses the PDU's variable items (PS3.8 9.3.2); anything malformed
     * yields what was read so far, since PixelMed judges the request itself.
     */
    static java.util.List<String> contextsWithoutAcceptedTransferSyntax(Request request) {
        byte[] pdu = request.pdu();
        java.util.List<String> refused = new java.util.ArrayList<>();
        int o = 74; // PDU header (6) + version, reserved, called AE, calling AE, reserved (68)
        while (o + 4 <= pdu.length) {
            int type = pdu[o] & 0xff;
            int length = ((pdu[o + 2] & 0xff) << 8) | (pdu[o + 3] & 0xff);
            int end = Math.min(pdu.length, o + 4 + length);
            if (type == 0x20) {
                String abstractSyntax = "";
                java.util.List<String> offered = new java.util.ArrayList<>();
                int sub = o + 8; // item header (4) + context id, 3 reserved
                while (sub + 4 <= end) {
                    int subType = pdu[sub] & 0xff;
                    int subLength = ((pdu[sub + 2] & 0xff) << 8) | (pdu[sub + 3] & 0xff);
                    int valueEnd = Math.min(end, sub + 4 + subLength);
                    String uid = new String(pdu, sub + 4, valueEnd - sub - 4, StandardCharsets.US_ASCII)
                            .replace("\0", "").strip();
                    if (subType == 0x30) {
                        abstractSyntax = uid;
                    } else if (subType == 0x40) {
                        offered.add(uid);
                    }
                    sub = valueEnd;
                }
                if (!offered.isEmpty() && offered.stream().noneMatch(ACCEPTED_TRANSFER_SYNTAXES::contains)) {
                    refused.add(abstractSyntax + ": " + offered);
                }
            }
            o = end;
        }
        return refused;
    }

    static void reject(OutputStream out) throws IOException {
        out.write(new byte[] {A_ASSOCIATE_RJ, 0, 0, 0, 0, 4, 0, REJECTED_PERMANENT, SERVICE_USER,
            CALLING_AE_NOT_RECOGNIZED});
        out.flush();
    }

    /** The accepted connection, its request bytes put back in front of the stream for PixelMed to read. */
    static Socket replaying(Socket socket, Request request) throws IOException {
        return new ReplaySocket(socket, new SequenceInputStream(new ByteArrayInputStream(request.pdu()),
                socket.getInputStream()));
    }

    /** Delegates what PixelMed's acceptor and association use (checked with javap against 20220618). */
    private static final class ReplaySocket extends Socket {
        private final Socket s;
        private final InputStream in;

        ReplaySocket(Socket s, InputStream in) {
            this.s = s;
            this.in = in;
        }

        @Override public InputStream getInputStream() { return in; }
        @Override public OutputStream getOutputStream() throws IOException { return s.getOutputStream(); }
        @Override public synchronized void close() throws IOException { s.close(); }
        @Override public boolean isClosed() { return s.isClosed(); }
        @Override public boolean isConnected() { return s.isConnected(); }
        @Override public InetAddress getInetAddress() { return s.getInetAddress(); }
        @Override public InetAddress getLocalAddress() { return s.getLocalAddress(); }
        @Override public int getPort() { return s.getPort(); }
        @Override public int getLocalPort() { return s.getLocalPort(); }
        @Override public SocketAddress getRemoteSocketAddress() { return s.getRemoteSocketAddress(); }
        @Override public SocketAddress getLocalSocketAddress() { return s.getLocalSocketAddress(); }
        @Override public synchronized int getReceiveBufferSize() throws SocketException { return s.getReceiveBufferSize(); }
        @Override public synchronized void setReceiveBufferSize(int size) throws SocketException { s.setReceiveBufferSize(size); }
        @Override public synchronized int getSendBufferSize() throws SocketException { return s.getSendBufferSize(); }
        @Override public synchronized void setSendBufferSize(int size) throws SocketException { s.setSendBufferSize(size); }
        @Override public synchronized int getSoTimeout() throws SocketException { return s.getSoTimeout(); }
        @Override public synchronized void setSoTimeout(int timeout) throws SocketException { s.setSoTimeout(timeout); }
        @Override public int getSoLinger() throws SocketException { return s.getSoLinger(); }
        @Override public void setSoLinger(boolean on, int linger) throws SocketException { s.setSoLinger(on, linger); }
        @Override public boolean getTcpNoDelay() throws SocketException { return s.getTcpNoDelay(); }
        @Override public void setTcpNoDelay(boolean on) throws SocketException { s.setTcpNoDelay(on); }
        @Override public void shutdownOutput() throws IOException { s.shutdownOutput(); }
        @Override public void shutdownInput() throws IOException { s.shutdownInput(); }
        @Override public boolean isOutputShutdown() { return s.isOutputShutdown(); }
        @Override public boolean isInputShutdown() { return s.isInputShutdown(); }
        @Override public String toString() { return s.toString(); }
    }

    private AssociationRequestGate() {
    }
}
