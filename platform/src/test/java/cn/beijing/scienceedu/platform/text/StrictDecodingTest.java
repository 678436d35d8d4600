package cn.beijing.scienceedu.platform.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Text decoded strictly: whole when it is of its charset, else the line and byte of the first bad one. */
class StrictDecodingTest {

    @Test
    void validTextComesBackWholeRareCharactersIncluded() throws Exception {
        String text = "学校代码,学校名称\r\n110108001,北京市海淀区𠀀小学\n";
        assertThat(StrictDecoding.decode(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(text);
        Charset gb = Charset.forName("GB18030");
        assertThat(StrictDecoding.decode(text.getBytes(gb), gb)).isEqualTo(text);
    }

    @Test
    void aBadByteIsNamedByLineAndByteInItsLine() {
        byte[] bytes = "code,name\r\n1,甲\r\n2,ab\u0000".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 1] = (byte) 0xFF; // line 3 is "2,ab" then 0xFF: byte 5 of the line
        assertThatThrownBy(() -> StrictDecoding.decode(bytes, StandardCharsets.UTF_8))
                .isInstanceOf(StrictDecoding.UndecodableTextException.class)
                .hasMessage("line 3, byte 5: not UTF-8 (0xFF)")
                .satisfies(e -> {
                    StrictDecoding.UndecodableTextException u = (StrictDecoding.UndecodableTextException) e;
                    assertThat(u.line()).isEqualTo(3);
                    assertThat(u.byteInLine()).isEqualTo(5);
                });
    }

    @Test
    void aTruncatedSequenceAtTheEndIsNamedToo() {
        byte[] full = "a\n中".getBytes(StandardCharsets.UTF_8);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 1);
        assertThatThrownBy(() -> StrictDecoding.decode(cut, StandardCharsets.UTF_8))
                .hasMessageStartingWith("line 2, byte 1: not UTF-8 (0xE4");
    }
}
