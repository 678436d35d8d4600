package cn.beijing.scienceedu.adapters.mapping;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnmappableCharacterException;
import java.util.Arrays;

/**
 * Reads a bureau's answer bytes as text in the charset its registry entry declares, strictly: bytes that
 * are not that charset are refused (never replaced by U+FFFD). A byte-order mark of the declared charset
 * is accepted and dropped — Windows tools (Excel's "CSV UTF-8", Notepad) write one and it carries no
 * data; a BOM of another charset means the file is not in the declared charset and is refused.
 */
public final class AnswerDecoder {

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final byte[] GB18030_BOM = {(byte) 0x84, (byte) 0x31, (byte) 0x95, (byte) 0x33};

    private AnswerDecoder() {
    }

    /** The bytes without a BOM of the declared charset; refuses other BOMs. */
    public static byte[] withoutBom(byte[] bytes, Charset declared) {
        if (startsWith(bytes, UTF8_BOM)) {
            if (!declared.equals(StandardCharsets.UTF_8)) {
                throw new MappingException("UTF-8 byte-order mark, but the bureau declares " + declared.name());
            }
            return Arrays.copyOfRange(bytes, UTF8_BOM.length, bytes.length);
        }
        if (startsWith(bytes, GB18030_BOM)) {
            if (!declared.name().equals("GB18030")) {
                throw new MappingException("GB18030 byte-order mark, but the bureau declares " + declared.name());
            }
            return Arrays.copyOfRange(bytes, GB18030_BOM.length, bytes.length);
        }
        if (bytes.length >= 2 && ((bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF)
                || (bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE))) {
            throw new MappingException("UTF-16 byte-order mark, but the bureau declares " + declared.name());
        }
        return bytes;
    }

    /** Strict decoding in the declared charset (after {@link #withoutBom}). */
    public static String decode(byte[] bytes, Charset declared) {
        if (bytes.length == 0) {
            throw new MappingException("empty file");
        }
        String text;
        try {
            text = declared.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (MalformedInputException | UnmappableCharacterException e) {
            throw new MappingException("not " + declared.name() + " text (the charset the bureau declares): invalid bytes"
                    + " near byte " + firstBadByte(bytes, declared));
        } catch (CharacterCodingException e) {
            throw new MappingException("not " + declared.name() + " text: " + e.getMessage());
        }
        // GB18030 decodes almost any byte sequence; UTF-8 Chinese text in a GB18030 file is caught here. Only when the
        // UTF-8 reading is Chinese: GB18030 text can be valid UTF-8 by chance — "系统" (CF B5 CD B3) reads as "ϵͳ" —
        // and was parked as mislabelled (every sign-for of TXGLJ in the 2026-11-29 smoke runs)
        if (!declared.equals(StandardCharsets.UTF_8) && hasMultiByteUtf8(bytes)
                && hasCjkIdeograph(new String(bytes, StandardCharsets.UTF_8))) {
            throw new MappingException("the bytes are UTF-8, but the bureau declares " + declared.name());
        }
        if (text.indexOf('\u0000') >= 0) {
            throw new MappingException("NUL characters: not a text file");
        }
        return text;
    }

    private static int firstBadByte(byte[] bytes, Charset cs) {
        var decoder = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        decoder.decode(in, out, true);
        return in.position();
    }

    /** True when the text holds a CJK ideograph (what a Chinese answer read as UTF-8 holds). */
    static boolean hasCjkIdeograph(String text) {
        return text.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    /** True when the bytes are well-formed UTF-8 with at least one multi-byte sequence. */
    static boolean hasMultiByteUtf8(byte[] bytes) {
        boolean multi = false;
        for (int i = 0; i < bytes.length; ) {
            int b = bytes[i] & 0xFF;
            int n = b < 0x80 ? 0 : (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
            if (n < 0 || i + n >= bytes.length) {
                return false;
            }
            for (int k = 1; k <= n; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            multi |= n > 0;
            i += n + 1;
        }
        return multi;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
