package org.mispsentinel.standin;

import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A response body that is sent with a Content-Length when it fits in {@code limit} bytes and
 * chunked otherwise. The JDK server's chunked encoding writes 4 KiB TLS records, which made paging
 * through a million attributes several times slower than generating them; ordinary pages fit the
 * buffer, and only an unlimited query over a huge dataset falls back to chunked streaming, so
 * memory stays bounded either way.
 */
final class PageOutputStream extends OutputStream {

    private final HttpExchange exchange;
    private final int limit;
    private ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 * 1024);
    private OutputStream streaming;

    PageOutputStream(HttpExchange exchange, int limit) {
        this.exchange = exchange;
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (streaming != null) {
            streaming.write(bytes, offset, length);
            return;
        }
        if (buffer.size() + length > limit) {
            exchange.sendResponseHeaders(200, 0);
            streaming = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024);
            buffer.writeTo(streaming);
            buffer = null;
            streaming.write(bytes, offset, length);
            return;
        }
        buffer.write(bytes, offset, length);
    }

    @Override
    public void flush() {
        // Flushing early would defeat the Content-Length; the body goes out on close.
    }

    @Override
    public void close() throws IOException {
        if (streaming != null) {
            streaming.close();
            return;
        }
        if (buffer == null) {
            return;
        }
        exchange.sendResponseHeaders(200, buffer.size());
        try (OutputStream out = exchange.getResponseBody()) {
            buffer.writeTo(out);
        }
        buffer = null;
    }
}
