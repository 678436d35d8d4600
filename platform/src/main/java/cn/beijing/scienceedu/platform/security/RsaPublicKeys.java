package cn.beijing.scienceedu.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.springframework.core.io.Resource;

/** Reads the issuer's RSA public key from a PEM file ({@code -----BEGIN PUBLIC KEY-----}, X.509), as tests use. */
public final class RsaPublicKeys {

    private RsaPublicKeys() {
    }

    public static RSAPublicKey read(Resource pem) {
        try (InputStream in = pem.getInputStream()) {
            return parse(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the issuer's public key " + pem, e);
        }
    }

    public static RSAPublicKey parse(String pem) {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("not an RSA public key in PEM form", e);
        }
    }
}
