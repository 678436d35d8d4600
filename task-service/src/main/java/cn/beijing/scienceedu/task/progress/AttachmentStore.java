package cn.beijing.scienceedu.task.progress;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.multipart.MultipartFile;

import cn.beijing.scienceedu.contracts.task.model.Attachment;
import cn.beijing.scienceedu.task.web.ApiException;

/**
 * Files a bureau attaches to a progress report, stored in the database. The size limit is the multipart
 * limit ({@code spring.servlet.multipart.max-file-size}, answered 413); the declared content type must be
 * in {@code hub.attachments.allowed-types} and agree with the file's first bytes (answered 415). Bytes identical to
 * an attachment of the same task give that attachment (stored once).
 */
@Component
public class AttachmentStore {

    private final JdbcTemplate jdbc;
    private final List<String> allowed;

    private final long maxSize;

    public AttachmentStore(JdbcTemplate jdbc, @Value("${hub.attachments.allowed-types}") List<String> allowed,
            @Value("${spring.servlet.multipart.max-file-size:10MB}") org.springframework.util.unit.DataSize maxSize) {
        this.jdbc = jdbc;
        this.allowed = allowed;
        this.maxSize = maxSize.toBytes();
    }

    public Attachment store(String taskId, MultipartFile file, String uploadedBy) {
        if (file == null || file.isEmpty()) {
            throw ApiException.badField("file", "must not be empty");
        }
        if (file.getSize() > maxSize) {
            // the servlet container refuses larger uploads first; this also covers other transports
            throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                    "the file is larger than " + maxSize + " bytes", null);
        }
        String type = file.getContentType() == null ? "" : file.getContentType().toLowerCase(Locale.ROOT);
        int semi = type.indexOf(';');
        if (semi >= 0) {
            type = type.substring(0, semi).trim();
        }
        if (!allowed.contains(type)) {
            throw ApiException.unsupportedMediaType("content type '" + type + "' is not accepted; accepted: " + allowed);
        }
        byte[] bytes;
        try {
            bytes = file.getBytes();
        } catch (IOException e) {
            throw ApiException.badField("file", "could not be read");
        }
        if (!contentMatches(type, bytes)) {
            throw ApiException.unsupportedMediaType("the file's content is not " + type);
        }
        String name = file.getOriginalFilename() == null ? "file" : file.getOriginalFilename();
        if (name.indexOf('\uFFFD') >= 0) {
            // Tomcat decodes a part's headers as UTF-8 with replacement characters: the name's own bytes are gone, but
            // a U+FFFD shows they were not UTF-8; never stored as the bureau's file name
            throw ApiException.badField("file", "the file name is not UTF-8 text (undecodable bytes in its filename)");
        }
        if (name.length() > 255) {
            name = name.substring(name.length() - 255);
        }
        String sha = sha256(bytes);
        // the same bytes for the same task are stored once (callers hold the task's row lock, so two identical
        // uploads at once find each other)
        Attachment same = jdbc.query("select id from attachment where task_id = ? and sha256 = ? and size = ? "
                + "order by uploaded_at, id limit 1", (rs, i) -> rs.getString(1), taskId, sha, (long) bytes.length)
                .stream().findFirst().map(existing -> find(taskId, existing)).orElse(null);
        if (same != null) {
            return same;
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into attachment (id, task_id, file_name, content_type, size, sha256, content, uploaded_by) "
                + "values (?,?,?,?,?,?,?,?)", id, taskId, name, type, (long) bytes.length, sha, bytes, uploadedBy);
        return find(taskId, id);
    }

    public Attachment find(String taskId, String id) {
        return jdbc.query("select id, file_name, content_type, size, sha256 from attachment where task_id = ? and id = ?",
                (rs, i) -> {
                    Attachment a = new Attachment();
                    a.setId(rs.getString(1));
                    a.setFileName(rs.getString(2));
                    a.setContentType(rs.getString(3));
                    a.setSize(rs.getLong(4));
                    a.setSha256(rs.getString(5));
                    return a;
                }, taskId, id).stream().findFirst().orElse(null);
    }

    /** The declared type must agree with the file's signature where the type has one. */
    static boolean contentMatches(String type, byte[] b) {
        return switch (type) {
            case "application/pdf" -> startsWith(b, "%PDF".getBytes());
            case "image/png" -> startsWith(b, new byte[] {(byte) 0x89, 'P', 'N', 'G'});
            case "image/jpeg" -> startsWith(b, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
            case "application/zip",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation" ->
                startsWith(b, new byte[] {'P', 'K', 3, 4});
            case "application/msword", "application/vnd.ms-excel" ->
                startsWith(b, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0});
            case "text/plain", "text/csv" -> !containsNul(b);
            default -> true;
        };
    }

    private static boolean startsWith(byte[] b, byte[] sig) {
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (b[i] != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean containsNul(byte[] b) {
        for (int i = 0; i < Math.min(b.length, 8192); i++) {
            if (b[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
