package cn.beijing.scienceedu.gateway.mtls;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The optional second listener for bureau systems that present a client certificate (mutual TLS). Off unless a
 * port is set. The helm chart sets {@code HUB_GATEWAY_MTLS_PORT} and mounts the secret at
 * {@code HUB_GATEWAY_MTLS_DIR} with the usual Kubernetes TLS secret keys.
 */
@ConfigurationProperties("hub.gateway.mtls")
public class MutualTlsProperties {

    /** Port of the mutual-TLS listener; unset = no such listener, 0 = any free port (tests). */
    private Integer port;
    /** Address the listener binds to. */
    private String bindAddress = "0.0.0.0";
    /** Folder holding the gateway's server certificate, its key and the bureau CA. */
    private Path dir = Path.of("/etc/hub/mtls");
    /** PEM certificate chain the gateway presents, in {@link #dir}. */
    private String certificate = "tls.crt";
    /** PEM private key (PKCS#8 or PKCS#1) of that certificate, in {@link #dir}. */
    private String privateKey = "tls.key";
    /** PEM certificate(s) of the hub's bureau CA; only client certificates it issued are accepted. */
    private String trustedCa = "ca.crt";
    /** Attribute of the client certificate's subject that names the unit (unit code, e.g. CN=SJW). */
    private String unitAttribute = "CN";

    public boolean isEnabled() {
        return port != null && port >= 0;
    }

    public Integer getPort() { return port; }
    public void setPort(Integer port) { this.port = port; }
    public String getBindAddress() { return bindAddress; }
    public void setBindAddress(String bindAddress) { this.bindAddress = bindAddress; }
    public Path getDir() { return dir; }
    public void setDir(Path dir) { this.dir = dir; }
    public String getCertificate() { return certificate; }
    public void setCertificate(String certificate) { this.certificate = certificate; }
    public String getPrivateKey() { return privateKey; }
    public void setPrivateKey(String privateKey) { this.privateKey = privateKey; }
    public String getTrustedCa() { return trustedCa; }
    public void setTrustedCa(String trustedCa) { this.trustedCa = trustedCa; }
    public String getUnitAttribute() { return unitAttribute; }
    public void setUnitAttribute(String unitAttribute) { this.unitAttribute = unitAttribute; }
}
