package cn.beijing.scienceedu.task.web;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.springframework.core.MethodParameter;
import cn.beijing.scienceedu.platform.text.StrictDecoding;
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
 * what it cannot decode; here such a body is decoded by platform's {@link StrictDecoding} and is passed on as UTF-8.
 */
@ControllerAdvice
public class StrictText extends RequestBodyAdviceAdapter {

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
            text = StrictDecoding.decode(bytes, charset);
        } catch (StrictDecoding.UndecodableTextException e) {
            throw ApiException.badField("body", e.getMessage());
        }
        return StrictDecoding.asUtf8(input, bytes, charset, text);
    }

    private static boolean isText(MediaType type) {
        return type.getType().equals("text") || type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
    }
}
