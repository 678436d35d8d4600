package cn.beijing.scienceedu.adapters.inbound;

import java.io.StringWriter;
import java.net.URL;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.dom.DOMSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.mapping.MappingException;
import cn.beijing.scienceedu.adapters.mapping.ReportReader;
import cn.beijing.scienceedu.adapters.mapping.SafeXml;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.model.Receipt;

/**
 * SOAP 1.1 endpoint of {@code HubReportService} (contracts {@code soap/bureau-exchange.wsdl}): a bureau
 * posts a {@code BureauReport} envelope, validated against the XSD, and gets a {@code Receipt} envelope
 * back (a SOAP Client fault for an envelope that names no report, or another unit's task; a {@code REJECTED}
 * receipt with the reasons for a report that breaks the XSD or the bureau API's rules). The receipt carries the
 * task's status, the hub's time ({@code At}) and the bureau's time as kept ({@code SentAt}).
 */
@RestController
public class SoapInboundController {

    static final String NS = "urn:cn:beijing:scienceedu:hub:bureau:v1";
    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";

    /** xs:dateTime with seconds always present (OffsetDateTime.toString drops zero seconds). */
    static final DateTimeFormatter XS_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss[.SSS]XXX");

    private final InboundPipeline pipeline;
    private final ReportReader reader;
    private final Schema schema;

    public SoapInboundController(InboundPipeline pipeline, ReportReader reader) throws Exception {
        this.pipeline = pipeline;
        this.reader = reader;
        URL xsd = getClass().getResource("/soap/soap-envelope-1.1.xsd");
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        this.schema = f.newSchema(xsd);
    }

    @PostMapping(path = "/soap/bureau", consumes = {"text/xml", "application/soap+xml", "application/xml"},
            produces = "text/xml;charset=UTF-8")
    public ResponseEntity<String> submitReport(@RequestBody(required = false) byte[] body,
            @RequestHeader(value = "traceparent", required = false) String traceparent) {
        String unit = BureauRestController.callerUnit();
        if (body == null || body.length == 0) {
            return fault("soapenv:Client", "empty request: a BureauReport envelope is required");
        }
        org.w3c.dom.Document doc;
        try {
            // parsed once, safely (no DOCTYPE: no XXE, no entity expansion), then validated as a DOM
            doc = SafeXml.parse(body);
        } catch (MappingException e) {
            return fault("soapenv:Client", e.getMessage());
        }
        String invalid = null;
        try {
            javax.xml.validation.Validator v = schema.newValidator();
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            v.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            v.validate(new DOMSource(doc));
        } catch (Exception e) {
            invalid = "envelope does not match bureau-exchange.xsd: " + e.getMessage();
        }
        BureauWrite report;
        try {
            report = reader.readXml(doc, OffsetDateTime.now(ZoneId.of("Asia/Shanghai")));
        } catch (RuntimeException e) {
            return fault("soapenv:Client", invalid != null ? invalid : "cannot read BureauReport: " + e.getMessage());
        }
        if (invalid != null) {
            if (report.messageId() == null || report.taskId() == null) {
                // not even a message to answer: a fault
                return fault("soapenv:Client", invalid);
            }
            // a report the bureau can be answered about (an unknown Status, a shifted element …): a rejected receipt
            report = report.withProblems(List.of(invalid));
        }
        InboundPipeline.Result r;
        try {
            r = pipeline.handle(unit, Protocol.SOAP, report, body, traceparent);
        } catch (InboundTransientException e) {
            return fault(503, "soapenv:Server", "task-service unavailable, try again");
        }
        if (r.httpStatus() == 404) {
            return fault(404, "soapenv:Client", "task " + report.taskId() + " not found");
        }
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/xml;charset=UTF-8")).body(envelope(r.receipt()));
    }

    static String envelope(Receipt r) {
        try {
            StringWriter w = new StringWriter();
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("soapenv", "Envelope", SOAP);
            x.writeNamespace("soapenv", SOAP);
            x.writeNamespace("b", NS);
            x.writeStartElement("soapenv", "Body", SOAP);
            x.writeStartElement("b", "Receipt", NS);
            el(x, "ReceiptId", r.getReceiptId());
            el(x, "MessageId", r.getMessageId());
            if (r.getTaskId() != null) {
                el(x, "TaskId", r.getTaskId());
            }
            el(x, "Outcome", r.getOutcome().getValue());
            for (String reason : r.getReasons()) {
                el(x, "Reason", reason);
            }
            if (r.getTaskStatus() != null) {
                el(x, "TaskStatus", r.getTaskStatus());
            }
            if (r.getAt() != null) {
                el(x, "At", r.getAt().format(XS_DATE_TIME));
            }
            if (r.getSentAt() != null) {
                el(x, "SentAt", r.getSentAt().format(XS_DATE_TIME));
            }
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
            return w.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void el(XMLStreamWriter x, String name, String value) throws Exception {
        x.writeStartElement("b", name, NS);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    static ResponseEntity<String> fault(String code, String message) {
        return fault(400, code, message);
    }

    /**
     * A SOAP fault. Unlike SOAP 1.1's "always 500", the status says whose fault it is (as SOAP 1.2 does):
     * the hub's promise is that bad input never gets a 5xx; 503 only when the task-service is away.
     */
    static ResponseEntity<String> fault(int status, String code, String message) {
        String escaped = message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + SOAP + "\">"
                + "<soapenv:Body><soapenv:Fault><faultcode>" + code + "</faultcode><faultstring>" + escaped
                + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
        return ResponseEntity.status(status).contentType(MediaType.parseMediaType("text/xml;charset=UTF-8")).body(xml);
    }

}
