package cn.beijing.scienceedu.tokenissuer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's RSA signing key, kept as a JWK file under the data folder so a restart keeps issued
 * tokens valid. The first start generates it.
 */
final class SigningKeys {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

    private SigningKeys() {
    }

    static RSAKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("signing-key.jwk.json");
        try {
            if (Files.exists(file)) {
                RSAKey key = RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
                log.info("signing key {} loaded from {}", key.getKeyID(), file.toAbsolutePath());
                return key;
            }
            RSAKey key = new RSAKeyGenerator(2048)
                    .keyID("hub-" + UUID.randomUUID())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .generate();
            Files.createDirectories(dataDir);
            Path tmp = Files.createTempFile(dataDir, "signing-key", ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the folder's own protection applies
            }
            Files.writeString(tmp, key.toJSONString(), StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            log.info("signing key {} generated into {}", key.getKeyID(), file.toAbsolutePath());
            return key;
        } catch (IOException | ParseException | JOSEException e) {
            throw new IllegalStateException("cannot load or create the signing key at " + file, e);
        }
    }
}
