package org.vfzone.fabric;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * XML helpers for SOAP and other XML answers: a namespace-aware parser that refuses DTDs (no external entities),
 * children by local name, and the two element shapes a writer needs most.
 */
public final class Xml {

    public static final String SOAP_ENVELOPE = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    public static final String XSD = "http://www.w3.org/2001/XMLSchema";

    /** What goes inside an element, written with the writer (which escapes every value). */
    public interface Content {
        void write(XMLStreamWriter w) throws XMLStreamException;
    }

    private Xml() {
    }

    /** A SOAP 1.1 envelope (prefixes soapenv, xsi, xsd declared) whose Body holds what {@code body} writes. */
    public static String soapEnvelope(Content body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("soapenv", "Envelope", SOAP_ENVELOPE);
            w.writeNamespace("soapenv", SOAP_ENVELOPE);
            w.writeNamespace("xsi", XSI);
            w.writeNamespace("xsd", XSD);
            w.writeStartElement("soapenv", "Body", SOAP_ENVELOPE);
            body.write(w);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write a SOAP envelope", e);
        }
        return out.toString();
    }

    /** Parses XML; anything that is not well-formed, or carries a DTD, is refused. */
    public static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        return null;
    }

    /** The first child of that local name, or null. */
    public static Element optionalChild(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every child of that local name, in order. */
    public static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                found.add(e);
            }
        }
        return found;
    }

    /** The text of the first child of that local name, stripped; null when there is none. */
    public static String text(Element parent, String name) {
        Element found = optionalChild(parent, name);
        return found == null ? null : found.getTextContent().strip();
    }

    /** {@code <name>value</name>}, the value escaped by the writer. */
    public static void element(XMLStreamWriter w, String name, String value) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(value);
        w.writeEndElement();
    }

    /** {@code <name type="type">value</name>}: a managed object reference in vSphere's terms. */
    public static void reference(XMLStreamWriter w, String name, String type, String value) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeAttribute("type", type);
        w.writeCharacters(value);
        w.writeEndElement();
    }
}
