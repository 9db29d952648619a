package org.vfzone.vsphere.emulator;

import static org.vfzone.fabric.Xml.children;
import static org.vfzone.fabric.Xml.element;
import static org.vfzone.fabric.Xml.firstElement;
import static org.vfzone.fabric.Xml.reference;
import static org.vfzone.fabric.Xml.text;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import org.vfzone.fabric.Xml;
import org.vfzone.fabric.emulator.EmulatorServer;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * An emulated vCenter answering the vSphere Web Services SOAP calls vfzone makes, on {@code POST /sdk}:
 * {@code RetrieveServiceContent}, {@code Login} (a session cookie), {@code Logout}, {@code CreateContainerView},
 * {@code DestroyView}, {@code RetrievePropertiesEx} / {@code ContinueRetrievePropertiesEx} (the performance
 * manager's {@code perfCounter}; the VMs' {@code name}, {@code config.uuid} and
 * {@code config.npivPortWorldWideName}, a page at a time), {@code QueryAvailablePerfMetric} and {@code QueryPerf}
 * (real-time, 20-second samples of the VMs' {@code virtualDisk} counters per disk). Counter keys are vCenter's own,
 * unlike an ESXi host's, so a client must resolve them by name; a session can be made to expire, as vCenter's do.
 */
public class VcenterEmulator extends EmulatorServer {

    static final String SOAP = Xml.SOAP_ENVELOPE;
    static final String VIM = "urn:vim25";
    static final String XSI = Xml.XSI;
    static final int PAGE = 500;

    /** Counters as vCenter lists them: group.name.rollup → key (an ESXi host numbers them differently). */
    private static final Map<String, Integer> COUNTERS = new LinkedHashMap<>();

    static {
        COUNTERS.put("cpu.usage.average", 2);
        COUNTERS.put("disk.read.average", 130);
        COUNTERS.put("disk.write.average", 131);
        COUNTERS.put("virtualDisk.numberReadAveraged.average", 171);
        COUNTERS.put("virtualDisk.numberWriteAveraged.average", 172);
        COUNTERS.put("virtualDisk.read.average", 173);
        COUNTERS.put("virtualDisk.write.average", 174);
        COUNTERS.put("virtualDisk.totalReadLatency.average", 175);
    }

    private static final class VmState {
        final String moref;
        final String name;
        final String uuid;
        final List<Long> npivWwpns;
        /** Per disk instance: read KBps, write KBps, read IOPS, write IOPS now. */
        final Map<String, long[]> disks = new LinkedHashMap<>();

        VmState(String moref, String name, String uuid, List<Long> npivWwpns) {
            this.moref = moref;
            this.name = name;
            this.uuid = uuid;
            this.npivWwpns = npivWwpns;
        }
    }

    private final String username;
    private final String password;
    private final Clock clock;
    private final Map<String, VmState> vms = new LinkedHashMap<>();
    private final Map<String, String> sessions = new HashMap<>();
    private final Map<String, List<String>> views = new HashMap<>();
    private final Map<String, List<String>> pending = new HashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private int logins;
    private int perfQueries;

    public VcenterEmulator(String username, String password) {
        this(username, password, Clock.systemUTC());
    }

    public VcenterEmulator(String username, String password, Clock clock) {
        super(0);
        this.username = username;
        this.password = password;
        this.clock = clock;
    }

    /** The SOAP endpoint's URL. */
    public URI sdkUrl() {
        return URI.create(baseUrl() + "/sdk");
    }

    /** A VM in the inventory; its NPIV WWPNs as vSphere keeps them, 64-bit values. Answers its managed object id. */
    public synchronized String addVm(String name, String uuid, List<Long> npivWwpns) {
        String moref = "vm-" + (1000 + ids.incrementAndGet());
        vms.put(moref, new VmState(moref, name, uuid, List.copyOf(npivWwpns)));
        return moref;
    }

    /** A VM's disk IO from now on: KB (1024 bytes) per second and commands per second. */
    public synchronized void diskIo(String moref, String disk, long readKBps, long writeKBps, long readIops,
                                    long writeIops) {
        vms.get(moref).disks.put(disk, new long[] {readKBps, writeKBps, readIops, writeIops});
    }

    /** Every session ends, as after vCenter's idle timeout or a restart of its services. */
    public synchronized void expireSessions() {
        sessions.clear();
    }

    public synchronized int logins() {
        return logins;
    }

    /** {@code QueryPerf} calls answered. */
    public synchronized int perfQueries() {
        return perfQueries;
    }

    @Override
    protected Reply handle(String method, URI uri, Map<String, String> headers, String body) {
        if (!"POST".equals(method) || !"/sdk".equals(uri.getPath())) {
            return Reply.of(404, "text/html", "<html><body>Not found</body></html>");
        }
        Element call;
        try {
            call = firstElement(bodyOf(Xml.parse(body.getBytes(StandardCharsets.UTF_8))));
        } catch (RuntimeException e) {
            return fault("InvalidRequest", "Unable to parse the request: " + e.getMessage());
        }
        if (call == null) {
            return fault("InvalidRequest", "No operation in the SOAP body");
        }
        String operation = call.getLocalName();
        if (operation.equals("RetrieveServiceContent")) {
            return reply(operation, w -> serviceContent(w));
        }
        if (operation.equals("Login")) {
            if (!username.equals(text(call, "userName")) || !password.equals(text(call, "password"))) {
                return fault("InvalidLogin", "Cannot complete login due to an incorrect user name or password.");
            }
            String session = UUID.randomUUID().toString();
            sessions.put(session, username);
            logins++;
            Reply ok = reply(operation, w -> {
                w.writeStartElement("returnval");
                element(w, "key", session);
                element(w, "userName", username);
                w.writeEndElement();
            });
            return new Reply(ok.status(), ok.contentType(), ok.body(),
                    Map.of("Set-Cookie", "vmware_soap_session=\"" + session + "\"; Path=/; HttpOnly; Secure;"));
        }
        String session = session(headers.get("Cookie"));
        if (session == null || !sessions.containsKey(session)) {
            return notAuthenticated();
        }
        return switch (operation) {
            case "Logout" -> {
                sessions.remove(session);
                yield reply(operation, w -> {
                });
            }
            case "CreateContainerView" -> {
                String view = "session[" + session.substring(0, 8) + "]" + UUID.randomUUID();
                views.put(view, new ArrayList<>(vms.keySet()));
                yield reply(operation, w -> {
                    w.writeStartElement("returnval");
                    w.writeAttribute("type", "ContainerView");
                    w.writeCharacters(view);
                    w.writeEndElement();
                });
            }
            case "DestroyView" -> {
                views.remove(text(call, "_this"));
                yield reply(operation, w -> {
                });
            }
            case "RetrievePropertiesEx" -> retrieve(call);
            case "ContinueRetrievePropertiesEx" -> {
                List<String> rest = pending.remove(text(call, "token"));
                yield rest == null ? fault("InvalidArgument", "A specified parameter was not correct: token")
                        : page(operation, rest);
            }
            case "QueryAvailablePerfMetric" -> available(call);
            case "QueryPerf" -> queryPerf(call);
            default -> fault("MethodNotFound", "The method " + operation + " is not implemented here");
        };
    }

    private Reply retrieve(Element call) {
        Element objectSet = child(child(call, "specSet"), "objectSet");
        Element obj = child(objectSet, "obj");
        if ("PerformanceManager".equals(obj.getAttribute("type"))) {
            return reply("RetrievePropertiesEx", w -> {
                w.writeStartElement("returnval");
                w.writeStartElement("objects");
                w.writeStartElement("obj");
                w.writeAttribute("type", "PerformanceManager");
                w.writeCharacters("PerfMgr");
                w.writeEndElement();
                w.writeStartElement("propSet");
                element(w, "name", "perfCounter");
                w.writeStartElement("val");
                w.writeAttribute("xsi", XSI, "type", "ArrayOfPerfCounterInfo");
                for (Map.Entry<String, Integer> counter : COUNTERS.entrySet()) {
                    String[] parts = counter.getKey().split("\\.");
                    w.writeStartElement("PerfCounterInfo");
                    element(w, "key", String.valueOf(counter.getValue()));
                    w.writeStartElement("nameInfo");
                    element(w, "label", parts[1]);
                    element(w, "summary", parts[1]);
                    element(w, "key", parts[1]);
                    w.writeEndElement();
                    w.writeStartElement("groupInfo");
                    element(w, "label", parts[0]);
                    element(w, "summary", parts[0]);
                    element(w, "key", parts[0]);
                    w.writeEndElement();
                    w.writeStartElement("unitInfo");
                    element(w, "label", "KBps");
                    element(w, "summary", "KBps");
                    element(w, "key", parts[1].startsWith("number") ? "number" : "kiloBytesPerSecond");
                    w.writeEndElement();
                    element(w, "rollupType", parts[2]);
                    element(w, "statsType", "rate");
                    element(w, "level", "2");
                    element(w, "perDeviceLevel", "3");
                    w.writeEndElement();
                }
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
                w.writeEndElement();
            });
        }
        List<String> all = views.get(obj.getTextContent().strip());
        if (all == null) {
            return fault("ManagedObjectNotFound", "The object has already been deleted or has not been completely "
                    + "created");
        }
        return page("RetrievePropertiesEx", new ArrayList<>(all));
    }

    private Reply page(String operation, List<String> morefs) {
        List<String> now = morefs.subList(0, Math.min(PAGE, morefs.size()));
        List<String> rest = new ArrayList<>(morefs.subList(now.size(), morefs.size()));
        String token = rest.isEmpty() ? null : UUID.randomUUID().toString();
        if (token != null) {
            pending.put(token, rest);
        }
        return reply(operation, w -> {
            w.writeStartElement("returnval");
            if (token != null) {
                element(w, "token", token);
            }
            for (String moref : now) {
                VmState vm = vms.get(moref);
                if (vm == null) {
                    continue;
                }
                w.writeStartElement("objects");
                w.writeStartElement("obj");
                w.writeAttribute("type", "VirtualMachine");
                w.writeCharacters(moref);
                w.writeEndElement();
                property(w, "config.npivPortWorldWideName", "ArrayOfLong", vm.npivWwpns.isEmpty() ? null : vm);
                property(w, "config.uuid", "xsd:string", vm.uuid);
                property(w, "name", "xsd:string", vm.name);
                w.writeEndElement();
            }
            w.writeEndElement();
        });
    }

    private static void property(XMLStreamWriter w, String name, String type, Object value)
            throws XMLStreamException {
        if (value == null) {
            return; // vCenter leaves an unset property out
        }
        w.writeStartElement("propSet");
        element(w, "name", name);
        w.writeStartElement("val");
        w.writeAttribute("xsi", XSI, "type", type);
        if (value instanceof VmState vm) {
            for (Long wwpn : vm.npivWwpns) {
                element(w, "long", String.valueOf(wwpn));
            }
        } else {
            w.writeCharacters(value.toString());
        }
        w.writeEndElement();
        w.writeEndElement();
    }

    private Reply available(Element call) {
        VmState vm = vms.get(text(call, "entity"));
        if (vm == null) {
            return fault("ManagedObjectNotFound", "The object has already been deleted");
        }
        return reply("QueryAvailablePerfMetric", w -> {
            for (String disk : vm.disks.keySet()) {
                for (String counter : List.of("virtualDisk.numberReadAveraged.average",
                        "virtualDisk.numberWriteAveraged.average", "virtualDisk.read.average",
                        "virtualDisk.write.average")) {
                    w.writeStartElement("returnval");
                    element(w, "counterId", String.valueOf(COUNTERS.get(counter)));
                    element(w, "instance", disk);
                    w.writeEndElement();
                }
            }
        });
    }

    /** Real-time samples (20 s) of the asked counters, per disk, for each VM asked; the newest {@code maxSample}. */
    private Reply queryPerf(Element call) {
        perfQueries++;
        Instant now = clock.instant();
        long newest = now.getEpochSecond() / 20 * 20;
        List<Element> specs = children(call, "querySpec");
        return reply("QueryPerf", w -> {
            for (Element spec : specs) {
                VmState vm = vms.get(text(spec, "entity"));
                if (vm == null) {
                    continue;
                }
                String start = text(spec, "startTime");
                String max = text(spec, "maxSample");
                int samples = max == null ? 1 : Integer.parseInt(max);
                List<Long> times = new ArrayList<>();
                for (long t = newest; times.size() < Math.max(1, samples) && t > newest - 3600; t -= 20) {
                    if (start != null && !Instant.ofEpochSecond(t).isAfter(Instant.parse(start))) {
                        break;
                    }
                    times.add(0, t);
                }
                w.writeStartElement("returnval");
                w.writeAttribute("xsi", XSI, "type", "PerfEntityMetric");
                w.writeStartElement("entity");
                w.writeAttribute("type", "VirtualMachine");
                w.writeCharacters(vm.moref);
                w.writeEndElement();
                for (long t : times) {
                    w.writeStartElement("sampleInfo");
                    element(w, "timestamp", Instant.ofEpochSecond(t).toString());
                    element(w, "interval", "20");
                    w.writeEndElement();
                }
                for (Element metric : children(spec, "metricId")) {
                    int counter = Integer.parseInt(text(metric, "counterId"));
                    int index = List.of(COUNTERS.get("virtualDisk.read.average"),
                            COUNTERS.get("virtualDisk.write.average"),
                            COUNTERS.get("virtualDisk.numberReadAveraged.average"),
                            COUNTERS.get("virtualDisk.numberWriteAveraged.average")).indexOf(counter);
                    if (index < 0 || times.isEmpty()) {
                        continue;
                    }
                    for (Map.Entry<String, long[]> disk : vm.disks.entrySet()) {
                        w.writeStartElement("value");
                        w.writeAttribute("xsi", XSI, "type", "PerfMetricIntSeries");
                        w.writeStartElement("id");
                        element(w, "counterId", String.valueOf(counter));
                        element(w, "instance", disk.getKey());
                        w.writeEndElement();
                        for (int i = 0; i < times.size(); i++) {
                            element(w, "value", String.valueOf(disk.getValue()[index]));
                        }
                        w.writeEndElement();
                    }
                }
                w.writeEndElement();
            }
        });
    }

    private void serviceContent(XMLStreamWriter w) throws XMLStreamException {
        w.writeStartElement("returnval");
        reference(w, "rootFolder", "Folder", "group-d1");
        reference(w, "propertyCollector", "PropertyCollector", "propertyCollector");
        reference(w, "viewManager", "ViewManager", "ViewManager");
        w.writeStartElement("about");
        element(w, "name", "VMware vCenter Server");
        element(w, "fullName", "VMware vCenter Server 8.0.3 build-24322831 (emulated)");
        element(w, "vendor", "VMware, Inc.");
        element(w, "version", "8.0.3");
        element(w, "apiType", "VirtualCenter");
        element(w, "apiVersion", "8.0.3.0");
        w.writeEndElement();
        reference(w, "sessionManager", "SessionManager", "SessionManager");
        reference(w, "perfManager", "PerformanceManager", "PerfMgr");
        w.writeEndElement();
    }


    private static Reply reply(String operation, Xml.Content body) {
        return Reply.of(200, "text/xml; charset=utf-8", Xml.soapEnvelope(w -> {
            w.writeStartElement(operation + "Response");
            w.writeDefaultNamespace(VIM);
            body.write(w);
            w.writeEndElement();
        }));
    }

    private static Reply notAuthenticated() {
        return fault("NotAuthenticated", "The session is not authenticated.");
    }

    /** A SOAP fault as vCenter sends one: the fault's type in {@code detail}, HTTP 500. */
    private static Reply fault(String type, String message) {
        return Reply.of(500, "text/xml; charset=utf-8", Xml.soapEnvelope(w -> {
            w.writeStartElement("soapenv", "Fault", SOAP);
            element(w, "faultcode", "ServerFaultCode");
            element(w, "faultstring", message);
            w.writeStartElement("detail");
            w.writeStartElement(type + "Fault");
            w.writeDefaultNamespace(VIM);
            w.writeAttribute("xsi", XSI, "type", type);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
        }));
    }

    private static String session(String cookie) {
        if (cookie == null) {
            return null;
        }
        for (String part : cookie.split(";")) {
            String[] pair = part.strip().split("=", 2);
            if (pair.length == 2 && pair[0].equals("vmware_soap_session")) {
                return pair[1].replace("\"", "");
            }
        }
        return null;
    }

    private static Element bodyOf(Document document) {
        Node body = document.getElementsByTagNameNS(SOAP, "Body").item(0);
        if (body == null) {
            throw new IllegalArgumentException("no SOAP body");
        }
        return (Element) body;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                return e;
            }
        }
        throw new IllegalArgumentException("no " + name + " in " + parent.getLocalName());
    }

    @Override
    protected void concurrentChange() {
        // vCenter has no zoning database; nothing another administrator does matters here
    }

    @Override
    protected void foreignTransaction() {
        // nor a zone transaction to hold
    }

    @Override
    protected Reply injectedFailure(int status, String message) {
        return new Reply(status, "text/xml; charset=utf-8", fault("SystemError", message).body(), Map.of());
    }

}
