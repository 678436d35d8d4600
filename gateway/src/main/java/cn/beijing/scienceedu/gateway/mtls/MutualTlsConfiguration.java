package cn.beijing.scienceedu.gateway.mtls;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;

/** The mutual-TLS listener for bureau systems ({@code hub.gateway.mtls}); off unless a port is configured. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(MutualTlsProperties.class)
class MutualTlsConfiguration {

    @Bean
    MutualTlsListener mutualTlsListener(MutualTlsProperties props, ObjectProvider<HttpHandler> httpHandler) {
        return new MutualTlsListener(props, httpHandler);
    }

    @Bean
    BureauCertificateFilter bureauCertificateFilter(MutualTlsListener listener, MutualTlsProperties props) {
        return new BureauCertificateFilter(listener, props);
    }
}
