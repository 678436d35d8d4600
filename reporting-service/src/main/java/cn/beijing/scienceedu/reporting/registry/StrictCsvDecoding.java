package cn.beijing.scienceedu.reporting.registry;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.MethodParameter;
import cn.beijing.scienceedu.platform.text.StrictDecoding;
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
 * in school names. The body is decoded by platform's {@link StrictDecoding} and handed on to the
 * converter as UTF-8.
 */
@ControllerAdvice(assignableTypes = RegisterController.class)
class StrictCsvDecoding extends RequestBodyAdviceAdapter {

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
        try {
            return StrictDecoding.asUtf8(input, bytes, charset, StrictDecoding.decode(bytes, charset));
        } catch (StrictDecoding.UndecodableTextException e) {
            throw new InvalidFieldsException("the file is not " + charset.name() + " text; nothing was imported",
                    List.of(new FieldError("file", e.getMessage())));
        }
    }
}
