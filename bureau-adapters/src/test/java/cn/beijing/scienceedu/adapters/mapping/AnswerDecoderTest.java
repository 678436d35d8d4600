package cn.beijing.scienceedu.adapters.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Reading a bureau's answer in the charset it declares. GB18030 decodes almost any bytes, so UTF-8 Chinese in a
 * GB18030 file is caught by looking at the UTF-8 reading — but GB18030 text can be valid UTF-8 by chance: every
 * sign-for of TXGLJ ("TXGLJ 系统", bytes CF B5 CD B3 = "ϵͳ" in UTF-8) was parked as mislabelled in the smoke runs.
 */
class AnswerDecoderTest {

    private static final Charset GB18030 = Charset.forName("GB18030");

    @Test
    void gb18030TextThatHappensToBeValidUtf8IsReadAsDeclared() {
        byte[] bytes = "<b:SignedBy>TXGLJ 系统</b:SignedBy>".getBytes(GB18030);
        assertThat(AnswerDecoder.hasMultiByteUtf8(bytes)).as("the coincidence this test is about").isTrue();
        assertThat(AnswerDecoder.decode(bytes, GB18030)).contains("TXGLJ 系统");
    }

    @Test
    void chineseUtf8InAFileDeclaredGb18030IsStillRefused() {
        byte[] bytes = "<b:Narrative>已完成科学教育专题培训</b:Narrative>".getBytes(StandardCharsets.UTF_8);
        // refused, by the strict decoding or by the UTF-8 check, whichever sees it first
        assertThatThrownBy(() -> AnswerDecoder.decode(bytes, GB18030)).isInstanceOf(MappingException.class)
                .hasMessageContaining("GB18030");
    }

    @Test
    void gb18030ChineseIsReadAsDeclared() {
        String text = "已完成科学教育专题培训，签收人：王老师";
        assertThat(AnswerDecoder.decode(text.getBytes(GB18030), GB18030)).isEqualTo(text);
    }
}
