package org.neurostream.sink;

import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * HL7 v2 over MLLP (a vertical tab, the message, a file separator and a carriage return each way): sends the
 * ORU^R01 and reads the ACK. AA/CA is delivered; AE/AR/CE/CR (a NACK), a wrong control id, no answer or a closed
 * connection all fail the attempt, so the result goes to retry and, after the attempts, to a dead letter.
 */
public final class Hl7Target implements DeliveryTarget {
    private static final byte START = 0x0b;
    private static final byte END = 0x1c;
    private static final byte CR = 0x0d;

    private final String host;
    private final int port;
    private final Duration timeout;
    private final OruBuilder oru;

    public Hl7Target(String host, int port, Duration timeout, OruBuilder oru) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.oru = oru;
    }

    @Override
    public String name() {
        return "hl7";
    }

    @Override
    public Delivered deliver(ResultPackage p) throws Exception {
        String controlId = DeterministicUids.hl7MessageControlId(p.resultId());
        String message = oru.encode(p);
        String ack;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(START);
            out.write(message.getBytes(StandardCharsets.UTF_8));
            out.write(END);
            out.write(CR);
            out.flush();
            ack = readFrame(socket.getInputStream());
        } catch (IOException e) {
            throw new IOException("HL7 to " + endpoint() + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
        }
        Message parsed;
        try {
            parsed = oru.context().getPipeParser().parse(ack);
        } catch (Exception e) {
            throw new IOException("HL7 peer " + endpoint() + " answered something that is not an HL7 ACK ("
                    + e.getClass().getSimpleName() + ")");
        }
        Terser t = new Terser(parsed);
        String code = t.get("/MSA-1");
        String acked = t.get("/MSA-2");
        if (!controlId.equals(acked)) {
            throw new IOException("HL7 peer " + endpoint() + " acknowledged control id " + acked + ", not "
                    + controlId);
        }
        if (!"AA".equals(code) && !"CA".equals(code)) {
            throw new IOException("HL7 peer " + endpoint() + " answered " + code + " (NACK) to message " + controlId);
        }
        return new Delivered("mllp://" + host + ":" + port + "/" + controlId, false, List.of(controlId));
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                throw new IOException("connection closed before an answer");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside an answer");
            }
            if (previous == END && b == CR) {
                byte[] bytes = frame.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.UTF_8);
            }
            frame.write(b);
            previous = b;
        }
    }

    private String endpoint() {
        return host + ":" + port;
    }
}
