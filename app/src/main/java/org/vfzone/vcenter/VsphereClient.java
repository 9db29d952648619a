package org.vfzone.vcenter;

import static org.vfzone.fabric.Xml.children;
import static org.vfzone.fabric.Xml.element;
import static org.vfzone.fabric.Xml.firstElement;
import static org.vfzone.fabric.Xml.optionalChild;
import static org.vfzone.fabric.Xml.reference;
import static org.vfzone.fabric.Xml.text;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.vfzone.fabric.Xml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The few vSphere Web Services (SOAP, vim25) calls vfzone needs, over the JDK's HTTP client: the service content, a
 * session ({@code Login}, its cookie, {@code Logout}), the performance manager's counters, the VMs with their NPIV
 * WWNs (a container view read a page at a time), and real-time samples ({@code QueryPerf}). Requests are written
 * with an XML writer, answers read with a namespace-aware parser that refuses DTDs. A session that ends between
 * calls (vCenter's idle timeout, a restart of its services) is opened again once. A small client of its own rather
 * than the vim25 bindings: these five operations need no generated model of thousands of classes, and the
 * maintained SDK is not published where this build resolves its libraries.
 */
public class VsphereClient implements AutoCloseable {

    static final String SOAP = Xml.SOAP_ENVELOPE;
    static final String VIM = "urn:vim25";
    static final String XSI = Xml.XSI;
    /** VMs asked for per {@code QueryPerf} call, and per page of the inventory. */
    static final int BATCH = 250;

    /** A SOAP fault: vSphere's fault type (e.g. {@code NotAuthenticated}, {@code InvalidLogin}) and message. */
    public static final class VsphereFault extends RuntimeException {
        private final String type;

        VsphereFault(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    /** A VM as vCenter lists it: managed object id, name, BIOS UUID, NPIV port WWNs (64-bit values). */
    public record VmInfo(String moref, String name, String uuid, List<Long> npivWwpns) {
    }

    /**
     * One real-time sample of a VM's disks, summed over its virtual disks: read and write KB/s (1024 bytes), read
     * and write commands per second, over {@code intervalSeconds} ending at {@code at}.
     */
    public record DiskSample(String moref, Instant at, int intervalSeconds, long readKBps, long writeKBps,
                             long readIops, long writeIops) {
    }

    private final URI sdk;
    private final String username;
    private final String password;
    private final HttpClient http;
    private final Duration timeout;
    private String cookie;
    private Map<String, String> content;
    private String apiVersion = "8.0";

    public VsphereClient(URI sdk, String username, String password, HttpClient http, Duration timeout) {
        this.sdk = sdk;
        this.username = username;
        this.password = password;
        this.http = http;
        this.timeout = timeout;
    }

    /** Reads the service content and signs in; answers vCenter's full product name. */
    public String open() {
        Element content = call("RetrieveServiceContent", w -> reference(w, "_this", "ServiceInstance",
                "ServiceInstance"), false);
        Element returnval = child(content, "returnval");
        this.content = new HashMap<>();
        for (String name : List.of("rootFolder", "propertyCollector", "viewManager", "sessionManager",
                "perfManager")) {
            this.content.put(name, text(returnval, name));
        }
        Element about = child(returnval, "about");
        apiVersion = Optional.ofNullable(text(about, "apiVersion")).orElse(apiVersion);
        login();
        return text(about, "fullName");
    }

    private void login() {
        cookie = null;
        call("Login", w -> {
            reference(w, "_this", "SessionManager", content.get("sessionManager"));
            element(w, "userName", username);
            element(w, "password", password);
        }, false);
        if (cookie == null) {
            throw new VsphereFault("NoSession", "vCenter signed in without a session cookie");
        }
    }

    /** The keys of the performance counters named {@code group.name.rollup}; keys differ between vCenter and ESXi. */
    public Map<String, Integer> counterKeys(Collection<String> names) {
        Element answer = call("RetrievePropertiesEx", w -> {
            reference(w, "_this", "PropertyCollector", content.get("propertyCollector"));
            w.writeStartElement("specSet");
            w.writeStartElement("propSet");
            element(w, "type", "PerformanceManager");
            element(w, "pathSet", "perfCounter");
            w.writeEndElement();
            w.writeStartElement("objectSet");
            reference(w, "obj", "PerformanceManager", content.get("perfManager"));
            w.writeEndElement();
            w.writeEndElement();
            w.writeStartElement("options");
            w.writeEndElement();
        }, true);
        Map<String, Integer> keys = new LinkedHashMap<>();
        for (Element info : descendants(answer, "PerfCounterInfo")) {
            String name = text(child(info, "groupInfo"), "key") + "." + text(child(info, "nameInfo"), "key") + "."
                    + text(info, "rollupType");
            if (names.contains(name)) {
                keys.put(name, Integer.parseInt(text(info, "key")));
            }
        }
        return keys;
    }

    /** Every VM of the inventory with its name, UUID and NPIV WWPNs. */
    public List<VmInfo> virtualMachines() {
        Element created = call("CreateContainerView", w -> {
            reference(w, "_this", "ViewManager", content.get("viewManager"));
            reference(w, "container", "Folder", content.get("rootFolder"));
            element(w, "type", "VirtualMachine");
            element(w, "recursive", "true");
        }, true);
        String view = text(created, "returnval");
        List<VmInfo> vms = new ArrayList<>();
        try {
            Element page = call("RetrievePropertiesEx", w -> {
                reference(w, "_this", "PropertyCollector", content.get("propertyCollector"));
                w.writeStartElement("specSet");
                w.writeStartElement("propSet");
                element(w, "type", "VirtualMachine");
                element(w, "pathSet", "name");
                element(w, "pathSet", "config.uuid");
                element(w, "pathSet", "config.npivPortWorldWideName");
                w.writeEndElement();
                w.writeStartElement("objectSet");
                reference(w, "obj", "ContainerView", view);
                element(w, "skip", "true");
                w.writeStartElement("selectSet");
                w.writeAttribute("xsi", XSI, "type", "TraversalSpec");
                element(w, "name", "traverseView");
                element(w, "type", "ContainerView");
                element(w, "path", "view");
                element(w, "skip", "false");
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeStartElement("options");
                element(w, "maxObjects", String.valueOf(BATCH * 4));
                w.writeEndElement();
            }, true);
            while (true) {
                Element returnval = optionalChild(page, "returnval");
                if (returnval == null) {
                    break;
                }
                for (Element object : children(returnval, "objects")) {
                    vms.add(vm(object));
                }
                String token = text(returnval, "token");
                if (token == null) {
                    break;
                }
                page = call("ContinueRetrievePropertiesEx", w -> {
                    reference(w, "_this", "PropertyCollector", content.get("propertyCollector"));
                    element(w, "token", token);
                }, true);
            }
        } finally {
            try {
                call("DestroyView", w -> reference(w, "_this", "ContainerView", view), true);
            } catch (RuntimeException e) {
                // the view ends with the session anyway
            }
        }
        return vms;
    }

    private static VmInfo vm(Element object) {
        String name = null;
        String uuid = null;
        List<Long> wwpns = new ArrayList<>();
        for (Element property : children(object, "propSet")) {
            Element value = child(property, "val");
            switch (text(property, "name")) {
                case "name" -> name = value.getTextContent().strip();
                case "config.uuid" -> uuid = value.getTextContent().strip();
                case "config.npivPortWorldWideName" -> children(value, "long")
                        .forEach(l -> wwpns.add(Long.parseLong(l.getTextContent().strip())));
                default -> {
                }
            }
        }
        return new VmInfo(text(object, "obj"), name, uuid, wwpns);
    }

    /**
     * The VMs' real-time samples of the four counters (keys from {@link #counterKeys}) after {@code since} (at most
     * {@code maxSamples} per VM), summed over each VM's virtual disks; one {@code QueryPerf} per {@link #BATCH} VMs.
     */
    public List<DiskSample> diskSamples(List<String> vmMorefs, int readKBps, int writeKBps, int readIops,
                                        int writeIops, Instant since, int maxSamples) {
        List<DiskSample> samples = new ArrayList<>();
        for (int from = 0; from < vmMorefs.size(); from += BATCH) {
            List<String> batch = vmMorefs.subList(from, Math.min(vmMorefs.size(), from + BATCH));
            Element answer = call("QueryPerf", w -> {
                reference(w, "_this", "PerformanceManager", content.get("perfManager"));
                for (String vm : batch) {
                    w.writeStartElement("querySpec");
                    reference(w, "entity", "VirtualMachine", vm);
                    if (since != null) {
                        element(w, "startTime", since.toString());
                    }
                    element(w, "maxSample", String.valueOf(maxSamples));
                    for (int counter : new int[] {readKBps, writeKBps, readIops, writeIops}) {
                        w.writeStartElement("metricId");
                        element(w, "counterId", String.valueOf(counter));
                        element(w, "instance", "*");
                        w.writeEndElement();
                    }
                    element(w, "intervalId", "20");
                    element(w, "format", "normal");
                    w.writeEndElement();
                }
            }, true);
            for (Element metric : children(answer, "returnval")) {
                samples.addAll(samplesOf(metric, readKBps, writeKBps, readIops, writeIops));
            }
        }
        return samples;
    }

    private static List<DiskSample> samplesOf(Element metric, int readKBps, int writeKBps, int readIops,
                                              int writeIops) {
        String vm = text(metric, "entity");
        List<Element> infos = children(metric, "sampleInfo");
        long[][] sums = new long[infos.size()][4];
        // the aggregate instance "" where vCenter gives one; else every disk's own series, summed
        Map<Integer, Boolean> hasAggregate = new HashMap<>();
        for (Element value : children(metric, "value")) {
            if (text(child(value, "id"), "instance").isEmpty()) {
                hasAggregate.put(Integer.parseInt(text(child(value, "id"), "counterId")), true);
            }
        }
        for (Element value : children(metric, "value")) {
            int counter = Integer.parseInt(text(child(value, "id"), "counterId"));
            String instance = text(child(value, "id"), "instance");
            if (hasAggregate.containsKey(counter) != instance.isEmpty()) {
                continue;
            }
            int slot = counter == readKBps ? 0 : counter == writeKBps ? 1 : counter == readIops ? 2
                    : counter == writeIops ? 3 : -1;
            if (slot < 0) {
                continue;
            }
            List<Element> points = children(value, "value");
            for (int i = 0; i < points.size() && i < sums.length; i++) {
                long v = Long.parseLong(points.get(i).getTextContent().strip());
                // -1: no data for that sample
                sums[i][slot] += Math.max(0, v);
            }
        }
        List<DiskSample> samples = new ArrayList<>(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            samples.add(new DiskSample(vm, Instant.parse(text(infos.get(i), "timestamp")),
                    Integer.parseInt(text(infos.get(i), "interval")), sums[i][0], sums[i][1], sums[i][2],
                    sums[i][3]));
        }
        return samples;
    }

    /** Signs out; a session already gone is no error. */
    @Override
    public void close() {
        if (cookie == null || content == null) {
            return;
        }
        try {
            call("Logout", w -> reference(w, "_this", "SessionManager", content.get("sessionManager")), false);
        } catch (RuntimeException e) {
            // the session ends on vCenter's side in any case
        }
        cookie = null;
    }


    /** One SOAP call; the answer's response element. A session that ended is opened again once. */
    private Element call(String operation, Xml.Content body, boolean signedIn) {
        try {
            return send(operation, body);
        } catch (VsphereFault e) {
            if (!signedIn || !"NotAuthenticated".equals(e.type())) {
                throw e;
            }
            login();
            return send(operation, body);
        }
    }

    private Element send(String operation, Xml.Content body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sdk).timeout(timeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", "urn:vim25/" + apiVersion)
                .POST(HttpRequest.BodyPublishers.ofString(envelope(operation, body), StandardCharsets.UTF_8));
        if (cookie != null) {
            request.header("Cookie", "vmware_soap_session=\"" + cookie + "\"");
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new VsphereFault("Unreachable", "cannot reach vCenter at " + sdk + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VsphereFault("Interrupted", "interrupted while waiting for vCenter");
        }
        response.headers().allValues("Set-Cookie").forEach(header -> {
            String value = sessionCookie(header);
            if (value != null) {
                cookie = value;
            }
        });
        Element soapBody = soapBody(response);
        Element fault = optionalChildNs(soapBody, SOAP, "Fault");
        if (fault != null) {
            Element detail = optionalChild(fault, "detail");
            Element first = detail == null ? null : firstElement(detail);
            String type = first == null ? "Fault" : first.getAttributeNS(XSI, "type");
            if (type.isEmpty() && first != null) {
                type = first.getLocalName().replaceFirst("Fault$", "");
            }
            type = type.contains(":") ? type.substring(type.indexOf(':') + 1) : type;
            throw new VsphereFault(type, Optional.ofNullable(text(fault, "faultstring")).orElse(type));
        }
        Element answer = firstElement(soapBody);
        if (answer == null || !answer.getLocalName().equals(operation + "Response")) {
            throw new VsphereFault("Protocol", "vCenter answered " + operation + " with "
                    + (answer == null ? "nothing" : answer.getLocalName()));
        }
        return answer;
    }

    private Element soapBody(HttpResponse<byte[]> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("xml")) {
            throw new VsphereFault("Protocol", "vCenter answered HTTP " + response.statusCode() + " with "
                    + (type.isEmpty() ? "no content type" : type) + " instead of SOAP: check the URL (…/sdk)");
        }
        Document document;
        try {
            document = Xml.parse(response.body());
        } catch (IllegalArgumentException e) {
            throw new VsphereFault("Protocol", "vCenter's answer is not XML: " + e.getMessage());
        }
        Node body = document.getElementsByTagNameNS(SOAP, "Body").item(0);
        if (body == null) {
            throw new VsphereFault("Protocol", "vCenter's answer has no SOAP body");
        }
        return (Element) body;
    }

    private static String sessionCookie(String header) {
        String first = header.split(";", 2)[0].strip();
        if (!first.startsWith("vmware_soap_session=")) {
            return null;
        }
        return first.substring("vmware_soap_session=".length()).replace("\"", "");
    }

    private static String envelope(String operation, Xml.Content body) {
        return Xml.soapEnvelope(w -> {
            w.writeStartElement(operation);
            w.writeDefaultNamespace(VIM);
            body.write(w);
            w.writeEndElement();
        });
    }

    private static Element optionalChildNs(Element parent, String namespace, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName()) && namespace.equals(e.getNamespaceURI())) {
                return e;
            }
        }
        return null;
    }

    private static Element child(Element parent, String name) {
        Element found = optionalChild(parent, name);
        if (found == null) {
            throw new VsphereFault("Protocol", "vCenter's answer has no " + name + " in " + parent.getLocalName());
        }
        return found;
    }

    private static List<Element> descendants(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        var nodes = parent.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

}
