package cn.beijing.scienceedu.reporting.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

import cn.beijing.scienceedu.contracts.reporting.model.FieldError;
import cn.beijing.scienceedu.reporting.shared.InvalidFieldsException;

/**
 * The school register's CSV ({@code POST /api/v1/schools}, the generated {@code RegisterApi}'s {@code String} body) is
 * decoded strictly, in the charset the request declares ({@code text/csv; charset=GB18030}), UTF-8 when it declares
 * none: a byte that is not of that charset refuses the whole file with a 400 naming the line and the byte —
 * {@code {"field":"file","message":"line 3, byte 17: not UTF-8 (0xFF)"}}, the byte counted from 1 in its line — and
 * nothing is stored. Spring's {@code StringHttpMessageConverter} decodes with {@code new String(bytes, charset)},
 * which puts U+FFFD in place of what it cannot decode: a register imported that way kept the replacement characters
 * in school names. The body is decoded here with a {@link CharsetDecoder} that reports
 * ({@link CodingErrorAction#REPORT}) and handed on to the converter as UTF-8.
 */
@ControllerAdvice(assignableTypes = RegisterController.class)
class StrictCsvDecoding extends RequestBodyAdviceAdapter {

    /** Bytes shown of an undecodable sequence, at most. */
    private static final int SHOWN = 4;

    @Override
    public boolean supports(MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        return targetType == String.class;
    }

    @Override
    public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
        MediaType type = input.getHeaders().getContentType();
        Charset charset = type == null || type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset();
        byte[] bytes = input.getBody().readAllBytes();
        String text = decode(bytes, charset);
        byte[] utf8 = charset.equals(StandardCharsets.UTF_8) ? bytes : text.getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = new HttpHeaders();
        headers.putAll(input.getHeaders());
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

    /**
     * The bytes as text of {@code charset}; else a 400 naming the first bad byte: "line 3, byte 17: not UTF-8 (0xFF)"
     * (lines end with LF, CRLF or CR; the byte is counted from 1 in its line).
     */
    static String decode(byte[] bytes, Charset charset) {
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

    private static InvalidFieldsException undecodable(byte[] bytes, int at, int length, CharBuffer decoded,
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
        String message = "line " + line + ", byte " + byteInLine + ": not " + charset.name() + " (" + shown + ")";
        return new InvalidFieldsException("the file is not " + charset.name() + " text; nothing was imported",
                List.of(new FieldError("file", message)));
    }
}
