package org.vfzone.hypervisor;

import java.io.StringWriter;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.vfzone.system.RuleViolation;

/**
 * An XML document written by the JDK's StAX writer, which escapes every text and attribute value, indented two spaces
 * as libvirt writes its own. Comments carry only vfzone's fixed words and hexadecimal WWNs, never a name: a comment
 * cannot escape {@code --}.
 */
final class XmlDocument {

    private final StringWriter out = new StringWriter();
    private final XMLStreamWriter xml;
    private int depth;
    private boolean hasChildren;

    XmlDocument() {
        try {
            xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A comment of vfzone's own words: refused if it could end the comment early. */
    XmlDocument comment(String text) {
        if (text.contains("--") || text.endsWith("-")) {
            throw new IllegalArgumentException("not a comment's text: " + text);
        }
        return write(() -> {
            xml.writeComment(" " + text + " ");
            xml.writeCharacters("\n");
        });
    }

    XmlDocument start(String element, String... attributes) {
        return write(() -> {
            indent();
            xml.writeStartElement(element);
            for (int i = 0; i < attributes.length; i += 2) {
                xml.writeAttribute(attributes[i], checked(attributes[i + 1]));
            }
            depth++;
            hasChildren = false;
        });
    }

    XmlDocument empty(String element, String... attributes) {
        return write(() -> {
            indent();
            xml.writeEmptyElement(element);
            for (int i = 0; i < attributes.length; i += 2) {
                xml.writeAttribute(attributes[i], checked(attributes[i + 1]));
            }
            hasChildren = true;
        });
    }

    XmlDocument text(String element, String text) {
        return write(() -> {
            indent();
            xml.writeStartElement(element);
            xml.writeCharacters(checked(text));
            xml.writeEndElement();
            hasChildren = true;
        });
    }

    XmlDocument end() {
        return write(() -> {
            depth--;
            if (hasChildren) {
                indent();
            }
            xml.writeEndElement();
            hasChildren = true;
        });
    }

    @Override
    public String toString() {
        write(() -> {
            xml.writeCharacters("\n");
            xml.flush();
        });
        return out.toString();
    }

    private void indent() throws XMLStreamException {
        if (depth > 0 || out.getBuffer().length() > 0 && out.getBuffer().charAt(out.getBuffer().length() - 1) != '\n') {
            xml.writeCharacters("\n" + "  ".repeat(depth));
        }
    }

    /** XML 1.0 cannot carry most control characters at all, escaped or not. */
    private static String checked(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xFFFE || c == 0xFFFF) {
                throw RuleViolation.conflict(null, "a name contains a character XML cannot carry (U+"
                        + String.format("%04X", (int) c) + "); rename it first");
            }
        }
        return value;
    }

    private interface Step {
        void run() throws XMLStreamException;
    }

    private XmlDocument write(Step step) {
        try {
            step.run();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }
}
