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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
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

    /**
     * A YANG data tree in its XML encoding (RFC 7950 / RFC 8040) as the same tree in its JSON encoding: an element with
     * child elements is an object, a leaf is a string, and an element name that repeats is a list. A list of one
     * becomes a bare object or string, which the JSON readers accept ({@link Json#items}). The root element becomes
     * the one key of the result.
     */
    public static ObjectNode yangToJson(Document document) {
        Element root = document.getDocumentElement();
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.set(root.getLocalName(), yangValue(root));
        return result;
    }

    private static JsonNode yangValue(Element element) {
        if (firstElement(element) == null) {
            return Json.MAPPER.getNodeFactory().stringNode(element.getTextContent().strip());
        }
        ObjectNode object = Json.MAPPER.createObjectNode();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                String name = child.getLocalName();
                JsonNode value = yangValue(child);
                JsonNode present = object.get(name);
                if (present == null) {
                    object.set(name, value);
                } else if (present.isArray()) {
                    ((ArrayNode) present).add(value);
                } else {
                    ArrayNode list = object.putArray(name);
                    list.add(present);
                    list.add(value);
                }
            }
        }
        return object;
    }

    /**
     * A YANG data tree in its JSON encoding (an object of one key, the container) in the XML encoding: a list's entries
     * and a leaf-list's values become repeated elements of the list's name, every value escaped by the writer.
     */
    public static String yangFromJson(JsonNode tree) {
        if (!tree.isObject() || tree.size() != 1) {
            throw new IllegalArgumentException("a YANG data tree has exactly one top-level container");
        }
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            for (var entry : tree.properties()) {
                writeYang(w, entry.getKey(), entry.getValue());
            }
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write YANG XML", e);
        }
        return out.toString();
    }

    private static void writeYang(XMLStreamWriter w, String name, JsonNode value) throws XMLStreamException {
        if (value.isArray()) {
            for (JsonNode item : value) {
                writeYang(w, name, item);
            }
        } else if (value.isObject()) {
            w.writeStartElement(name);
            for (var entry : value.properties()) {
                writeYang(w, entry.getKey(), entry.getValue());
            }
            w.writeEndElement();
        } else if (!value.isNull()) {
            element(w, name, value.asString());
        }
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
