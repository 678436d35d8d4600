package cn.beijing.scienceedu.task.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Request bodies of text (JSON, {@code text/*}) are decoded strictly, in the charset the request declares (UTF-8 when
 * it declares none): a byte that is not of that charset is a 400 problem naming the line and the byte
 * ({@code {"field":"body","message":"line 3, byte 17: not UTF-8 (0xFF)"}}), never a replacement character (U+FFFD)
 * in stored data. Jackson reads UTF-8 strictly itself, but Spring's converter hands any other declared charset
 * ({@code application/json;charset=GB18030}, {@code ISO-8859-*}, …) to an {@code InputStreamReader}, which replaces
 * what it cannot decode; here such a body is decoded with a {@link CharsetDecoder} that reports
 * ({@link CodingErrorAction#REPORT}) and is passed on as UTF-8.
 */
@ControllerAdvice
public class StrictText extends RequestBodyAdviceAdapter {

    /** Bytes shown of an undecodable sequence, at most. */
    private static final int SHOWN = 4;

    /** Text that is not of its charset: where, and which bytes. */
    public static final class UndecodableException extends Exception {
        private final int line;
        private final int byteInLine;

        UndecodableException(int line, int byteInLine, String message) {
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

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        MediaType type = input.getHeaders().getContentType();
        if (type == null || !isText(type)) {
            return input;
        }
        Charset charset = type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset();
        byte[] bytes = input.getBody().readAllBytes();
        String text;
        try {
            text = decode(bytes, charset);
        } catch (UndecodableException e) {
            throw ApiException.badField("body", e.getMessage());
        }
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(input.getHeaders());
        byte[] utf8 = bytes;
        if (!charset.equals(StandardCharsets.UTF_8)) {
            utf8 = text.getBytes(StandardCharsets.UTF_8);
            headers.setContentType(new MediaType(type, StandardCharsets.UTF_8));
        }
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

    private static boolean isText(MediaType type) {
        return type.getType().equals("text") || type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }

    /**
     * The bytes as text of {@code charset}, or where they are not: "line 3, byte 17: not UTF-8 (0xFF)". The byte is
     * counted in its line from 1; lines end with LF, CRLF or CR.
     */
    public static String decode(byte[] bytes, Charset charset) throws UndecodableException {
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

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2);
        out.flip();
        bigger.put(out);
        return bigger;
    }

    private static UndecodableException undecodable(byte[] bytes, int at, int length, CharBuffer decoded, Charset charset) {
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
        // the bytes of the line before the bad one: the decoded part of the line encoded again (exact for UTF-8 and
        // GB18030, whose decoded text encodes back to the same bytes)
        String before = decoded.duplicate().position(lineStart).limit(end).toString();
        int byteInLine = Math.min(at, before.getBytes(charset).length) + 1;
        StringBuilder shown = new StringBuilder();
        for (int i = at; i < Math.min(bytes.length, at + Math.min(Math.max(length, 1), SHOWN)); i++) {
            shown.append(shown.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "0x%02X", bytes[i] & 0xFF));
        }
        return new UndecodableException(line, byteInLine,
                "line " + line + ", byte " + byteInLine + ": not " + charset.name() + " (" + shown + ")");
    }
}
