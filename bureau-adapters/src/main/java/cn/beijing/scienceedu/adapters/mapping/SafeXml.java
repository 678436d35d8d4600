package cn.beijing.scienceedu.adapters.mapping;

import java.io.ByteArrayInputStream;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

/**
 * The one way bureau XML is read (SOAP envelopes, XML answer files): no DOCTYPE at all, so neither an
 * external entity (XXE) nor an entity expansion ("billion laughs") is ever resolved; no external DTD or
 * schema is fetched.
 */
public final class SafeXml {

    private SafeXml() {
    }

    public static Document parse(byte[] bytes) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new ByteArrayInputStream(bytes));
        } catch (SAXParseException e) {
            String m = String.valueOf(e.getMessage());
            throw new MappingException(m.contains("DOCTYPE") ? "XML with a DOCTYPE (entities, DTD) is refused"
                    : "malformed XML at line " + e.getLineNumber() + ": " + m);
        } catch (Exception e) {
            throw new MappingException("unreadable XML: " + e.getMessage(), e);
        }
    }
}
