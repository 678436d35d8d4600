package cn.beijing.scienceedu.platform.text;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;

/**
 * Text a caller sends, decoded strictly: with a {@link CharsetDecoder} that reports ({@link CodingErrorAction#REPORT})
 * instead of putting U+FFFD where a byte is not of the charset, and saying where — "line 3, byte 17: not UTF-8 (0xFF)",
 * the byte counted from 1 in its line (LF, CRLF or CR end one). Spring's converters decode leniently
 * ({@code new String(bytes, charset)}, an {@code InputStreamReader}); a service's {@code RequestBodyAdvice} decodes the
 * body here first and hands it on as UTF-8 ({@link #asUtf8}).
 */
public final class StrictDecoding {

    /** Bytes shown of an undecodable sequence, at most. */
    private static final int SHOWN = 4;

    private StrictDecoding() {
    }

    /** Text that is not of its charset: where, and which bytes. */
    public static final class UndecodableTextException extends Exception {
        private final int line;
        private final int byteInLine;

        UndecodableTextException(int line, int byteInLine, String message) {
            super(message);
            this.line = line;
            this.byteInLine = byteInLine;
        }

        /** 1-based line (LF, CRLF or CR ends one). */
        public int line() {
            return line;
        }

        /** 1-based position of the first bad byte in its line, in bytes. */
        public int byteInLine() {
            return byteInLine;
        }
    }

    /** The bytes as text of {@code charset}, or where they are not. */
    public static String decode(byte[] bytes, Charset charset) throws UndecodableTextException {
        CharsetDecoder decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.max(16, bytes.length + 16));
        CoderResult r;
        while ((r = decoder.decode(in, out, true)).isOverflow()) {
            out = grow(out);
        }
        if (r.isError()) {
            throw undecodable(bytes, in.position(), r.length(), out, charset);
        }
        while ((r = decoder.flush(out)).isOverflow()) {
            out = grow(out);
        }
        if (r.isError()) {
            throw undecodable(bytes, in.position(), Math.max(1, bytes.length - in.position()), out, charset);
        }
        out.flip();
        return out.toString();
    }

    /**
     * The decoded body as the converter after the advice reads it: UTF-8 bytes (the original ones when they were
     * UTF-8), the content type's charset and the length changed to match.
     */
    public static HttpInputMessage asUtf8(HttpInputMessage original, byte[] bytes, Charset charset, String text) {
        byte[] utf8 = charset.equals(StandardCharsets.UTF_8) ? bytes : text.getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(original.getHeaders());
        MediaType type = original.getHeaders().getContentType();
        if (type != null) {
            headers.setContentType(new MediaType(type, StandardCharsets.UTF_8));
        }
        // the converter reads as many bytes as Content-Length says: the UTF-8 form may be longer or shorter
        headers.setContentLength(utf8.length);
        InputStream body = new ByteArrayInputStream(utf8);
        return new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return body;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
        out.flip();
        bigger.put(out);
        return bigger;
    }

    private static UndecodableTextException undecodable(byte[] bytes, int at, int length, CharBuffer decoded,
            Charset charset) {
        int line = 1;
        int lineStart = 0;
        int end = decoded.position();
        for (int i = 0; i < end; i++) {
            char c = decoded.get(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= end || decoded.get(i + 1) != '\n'))) {
                line++;
                lineStart = i + 1;
            }
        }
        // the bytes of the line before the bad one: its decoded part encoded again (exact for UTF-8 and GB18030, whose
        // decoded text encodes back to the same bytes)
        String before = decoded.duplicate().position(lineStart).limit(end).toString();
        int byteInLine = Math.min(at, before.getBytes(charset).length) + 1;
        StringBuilder shown = new StringBuilder();
        for (int i = at; i < Math.min(bytes.length, at + Math.min(Math.max(length, 1), SHOWN)); i++) {
            shown.append(shown.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
        }
        return new UndecodableTextException(line, byteInLine,
                "line " + line + ", byte " + byteInLine + ": not " + charset.name() + " (" + shown + ")");
    }
}
