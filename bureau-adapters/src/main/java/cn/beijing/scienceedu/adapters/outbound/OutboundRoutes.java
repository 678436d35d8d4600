package cn.beijing.scienceedu.adapters.outbound;

import java.net.URI;
import java.nio.charset.StandardCharsets;


import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import cn.beijing.scienceedu.adapters.mapping.PayloadMapper;
import cn.beijing.scienceedu.adapters.mapping.SafeXml;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbound routes, one per protocol. {@code direct:deliver} carries the route configuration
 * ({@link OutboundRouteConfiguration}); the per-protocol call routes have no error handler of their
 * own, so a redelivery repeats the whole call (render, send, read the answer).
 */
@Component
public class OutboundRoutes extends RouteBuilder {

    private final PayloadMapper mapper;
    private final BureauRegistry registry;
    private final RabbitTemplate rabbit;
    private final JsonMapper json;
    private final OutboundAddressGuard guard;

    public OutboundRoutes(PayloadMapper mapper, BureauRegistry registry, RabbitTemplate rabbit, JsonMapper json,
            OutboundAddressGuard guard) {
        this.guard = guard;
        this.mapper = mapper;
        this.registry = registry;
        this.rabbit = rabbit;
        this.json = json;
    }

    @Override
    public void configure() {
        from("direct:deliver").routeId("deliver").routeConfigurationId(OutboundRouteConfiguration.ID)
                .toD("direct:call-${exchangeProperty.protocol}");

        // REST/JSON push: POST {endpoint}/tasks (camel-http's pools resolve through the SSRF guard:
        // GuardedHttpComponents)
        from("direct:call-REST").routeId("out-rest").errorHandler(noErrorHandler())
                .process(this::prepareRest)
                .toD("${exchangeProperty.url}?throwExceptionOnFailure=false&connectTimeout=${exchangeProperty.connectMs}"
                        + "&responseTimeout=${exchangeProperty.readMs}")
                .process(this::readRestAnswer);

        // SOAP 1.1: canonical XML -> XSLT envelope -> XSD check -> POST
        from("direct:call-SOAP").routeId("out-soap").errorHandler(noErrorHandler())
                .process(e -> e.getIn().setBody(mapper.canonicalXml(message(e))))
                .toD("xslt:${exchangeProperty.mappingFile}")
                .to("validator:classpath:soap/soap-envelope-1.1.xsd")
                .process(this::prepareSoap)
                .toD("${exchangeProperty.url}?throwExceptionOnFailure=false&connectTimeout=${exchangeProperty.connectMs}"
                        + "&responseTimeout=${exchangeProperty.readMs}")
                .process(this::readSoapAnswer);

        // file exchange directory: written as a temp name, then renamed
        from("direct:call-FILE").routeId("out-file").errorHandler(noErrorHandler())
                .to("direct:render-file")
                .toD("file:${exchangeProperty.dir}?tempPrefix=.tmp-&fileExist=Override&autoCreate=true");

        // SFTP: same file, on the bureau's SFTP server (connected through the SSRF guard)
        from("direct:call-SFTP").routeId("out-sftp").errorHandler(noErrorHandler())
                .to("direct:render-file")
                .process(this::prepareSftp)
                .toD("sftp://${exchangeProperty.sftpHost}:${exchangeProperty.sftpPort}/${exchangeProperty.dir}"
                        + "?username=${exchangeProperty.sftpUser}&password=RAW(${exchangeProperty.sftpPassword})"
                        + "&tempPrefix=.tmp-&fileExist=Override&autoCreate=true&binary=true"
                        + "&strictHostKeyChecking=no&useUserKnownHostsFile=false&proxy=#guardedSftpConnection"
                        + "&connectTimeout=${exchangeProperty.connectMs}&timeout=${exchangeProperty.readMs}");

        from("direct:render-file").routeId("render-file").errorHandler(noErrorHandler())
                .choice()
                    .when(exchangeProperty("mappingFormat").isEqualTo("xslt"))
                        .process(e -> e.getIn().setBody(mapper.canonicalXml(message(e))))
                        .toD("xslt:${exchangeProperty.mappingFile}")
                        .process(this::encodeXml)
                    .otherwise()
                        .process(e -> e.getIn().setBody(mapper.render(bureau(e), message(e))))
                .end()
                .process(this::prepareFile);

        // AMQP: the bureau's own queue on the hub's broker, publisher-confirmed
        from("direct:call-AMQP").routeId("out-amqp").errorHandler(noErrorHandler())
                .process(this::sendAmqp);
    }

    static Bureau bureau(Exchange e) {
        return e.getProperty(OutboundGateway.BUREAU, Bureau.class);
    }

    static BureauTaskMessage message(Exchange e) {
        return e.getProperty(OutboundGateway.MESSAGE, BureauTaskMessage.class);
    }

    static Delivery delivery(Exchange e) {
        return e.getProperty(OutboundGateway.DELIVERY, Delivery.class);
    }

    private void common(Exchange e, byte[] body) {
        Bureau b = bureau(e);
        Message in = e.getIn();
        in.removeHeaders("*");
        in.setBody(body);
        e.setProperty(OutboundGateway.WIRE_BYTES, body);
        e.setProperty("connectMs", b.timeouts().connect().toMillis());
        e.setProperty("readMs", b.timeouts().read().toMillis());
        String tp = delivery(e).traceparent();
        if (tp != null) {
            in.setHeader("traceparent", tp);
        }
        in.setHeader("Idempotency-Key", message(e).getMessageId());
    }

    private void prepareRest(Exchange e) {
        Bureau b = bureau(e);
        byte[] body = mapper.render(b, message(e));
        common(e, body);
        e.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        e.getIn().setHeader(Exchange.CONTENT_TYPE, mapper.contentType(b));
        String token = registry.credentials(b).getToken();
        if (token != null && !token.isBlank()) {
            e.getIn().setHeader("Authorization", "Bearer " + token);
        }
        guard.checkBeforeSend(b.code(), b.endpoint());
        e.setProperty("url", b.endpoint() + "/tasks");
    }

    private void readRestAnswer(Exchange e) {
        int code = e.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = e.getIn().getBody(String.class);
        failOnStatus(code, body);
        JsonNode ack;
        try {
            ack = json.readTree(body == null ? "" : body);
        } catch (RuntimeException ex) {
            throw new PermanentDeliveryException("unparseable reply from bureau: " + abbreviate(body));
        }
        if (ack == null || !ack.isObject() || !ack.has("accepted")) {
            throw new PermanentDeliveryException("unparseable reply from bureau: " + abbreviate(body));
        }
        if (!ack.get("accepted").asBoolean()) {
            throw new PermanentDeliveryException("bureau rejected the content: " + ack.path("reasons"));
        }
        if (ack.hasNonNull("bureauReference")) {
            e.setProperty(OutboundGateway.BUREAU_REFERENCE, ack.get("bureauReference").asString());
        }
    }

    private void prepareSoap(Exchange e) {
        Bureau b = bureau(e);
        byte[] body = e.getIn().getBody(String.class).getBytes(StandardCharsets.UTF_8);
        common(e, body);
        e.getIn().setHeader(Exchange.HTTP_METHOD, "POST");
        e.getIn().setHeader(Exchange.CONTENT_TYPE, "text/xml; charset=UTF-8");
        e.getIn().setHeader("SOAPAction", "\"urn:cn:beijing:scienceedu:hub:bureau:v1:ReceiveTaskMessage\"");
        guard.checkBeforeSend(b.code(), b.endpoint());
        e.setProperty("url", b.endpoint());
    }

    private void readSoapAnswer(Exchange e) {
        int code = e.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = e.getIn().getBody(String.class);
        Document doc;
        try {
            doc = SafeXml.parse(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
        } catch (Exception ex) {
            failOnStatus(code, body);
            throw new PermanentDeliveryException("unparseable SOAP reply: " + abbreviate(body));
        }
        NodeList faults = doc.getElementsByTagNameNS("http://schemas.xmlsoap.org/soap/envelope/", "Fault");
        if (faults.getLength() > 0) {
            String faultCode = text(doc, "faultcode");
            String faultString = text(doc, "faultstring");
            if (faultCode != null && faultCode.endsWith("Client")) {
                throw new PermanentDeliveryException("bureau rejected the content (SOAP Client fault): " + faultString);
            }
            throw new TransientDeliveryException("SOAP Server fault: " + faultString);
        }
        failOnStatus(code, body);
        NodeList ack = doc.getElementsByTagNameNS("urn:cn:beijing:scienceedu:hub:bureau:v1", "Accepted");
        if (ack.getLength() != 1) {
            throw new PermanentDeliveryException("SOAP reply without TaskMessageAck: " + abbreviate(body));
        }
        if (!"true".equals(ack.item(0).getTextContent().trim())) {
            throw new PermanentDeliveryException("bureau rejected the content: "
                    + String.valueOf(textNs(doc, "Reason")));
        }
        String ref = textNs(doc, "BureauReference");
        if (ref != null) {
            e.setProperty(OutboundGateway.BUREAU_REFERENCE, ref);
        }
    }

    private static String text(Document doc, String localName) {
        NodeList n = doc.getElementsByTagNameNS("*", localName);
        if (n.getLength() == 0) {
            n = doc.getElementsByTagName(localName);
        }
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    private static String textNs(Document doc, String localName) {
        NodeList n = doc.getElementsByTagNameNS("urn:cn:beijing:scienceedu:hub:bureau:v1", localName);
        return n.getLength() == 0 ? null : n.item(0).getTextContent();
    }

    static void failOnStatus(int code, String body) {
        if (code >= 200 && code < 300) {
            return;
        }
        if (code == 0 || code == 408 || code == 429 || code >= 500) {
            throw new TransientDeliveryException("bureau answered HTTP " + code + ": " + abbreviate(body));
        }
        throw new PermanentDeliveryException("bureau rejected the content: HTTP " + code + ": " + abbreviate(body));
    }

    private void encodeXml(Exchange e) {
        Bureau b = bureau(e);
        String xml = e.getIn().getBody(String.class).strip();
        String withDecl = "<?xml version=\"1.0\" encoding=\"" + b.charset().name() + "\"?>\r\n" + xml + "\r\n";
        e.getIn().setBody(withDecl.getBytes(b.charset()));
    }

    private void prepareFile(Exchange e) {
        Bureau b = bureau(e);
        byte[] body = e.getIn().getBody(byte[].class);
        common(e, body);
        Delivery d = delivery(e);
        String name = String.format("%012d_%s_%s.%s", d.enqueueSeq(), d.kind(), d.id(), mapper.fileExtension(b));
        e.getIn().setHeader(Exchange.FILE_NAME, name);
        if (b.protocol().name().equals("FILE")) {
            e.setProperty("dir", b.endpoint() + "/inbox");
        }
    }

    private void prepareSftp(Exchange e) {
        Bureau b = bureau(e);
        URI uri = URI.create(b.endpoint());
        guard.checkBeforeSend(b.code(), b.endpoint());
        BureauProperties.Credentials c = registry.credentials(b);
        e.setProperty("sftpHost", uri.getHost());
        e.setProperty("sftpPort", uri.getPort() < 0 ? 22 : uri.getPort());
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+", "");
        e.setProperty("dir", path.isEmpty() ? "inbox" : path + "/inbox");
        e.setProperty("sftpUser", c.getUsername() == null ? b.code() : c.getUsername());
        e.setProperty("sftpPassword", c.getPassword() == null ? "" : c.getPassword());
    }

    private void sendAmqp(Exchange e) {
        Bureau b = bureau(e);
        byte[] body = mapper.render(b, message(e));
        common(e, body);
        BureauTaskMessage m = message(e);
        var builder = MessageBuilder.withBody(body).setContentType("application/json")
                .setContentEncoding(b.charset().name()).setMessageId(m.getMessageId())
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT).setHeader("x-hub-kind", m.getKind().getValue())
                .setHeader("x-hub-task-id", m.getTaskId()).setHeader("x-hub-unit", b.code());
        String tp = delivery(e).traceparent();
        if (tp != null) {
            builder.setHeader("traceparent", tp);
        }
        var amqp = builder.build();
        long timeout = b.timeouts().read().toMillis();
        rabbit.invoke(ops -> {
            ops.send("", b.inboxQueue(), amqp);
            ops.waitForConfirmsOrDie(timeout);
            return null;
        });
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

}
