package org.vfzone.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where webhooks may go. A webhook URL is typed by an admin but fetched by the server, so by default it may not reach
 * the server's own neighbourhood: loopback, link-local (cloud metadata at 169.254.169.254), private and carrier-grade
 * NAT ranges, unique-local IPv6, multicast and the unspecified address — however the address is written ({@code 127.1},
 * {@code 2130706433}, an IPv4-mapped IPv6 address, a name that resolves there). An admin lists the networks (CIDR) or
 * host names that are allowed all the same in {@code vfzone.notifications.webhook-allowed-networks}. The check runs
 * when a channel is saved and again before every delivery, on every address the name resolves to then.
 */
@Component
class WebhookTargets {

    private final List<Network> allowedNetworks = new ArrayList<>();
    private final List<String> allowedHosts = new ArrayList<>();

    @Autowired
    WebhookTargets(NotificationProperties properties) {
        this(properties.notifications().webhookAllowedNetworks());
    }

    WebhookTargets(List<String> allowed) {
        for (String entry : allowed) {
            String item = entry.strip();
            if (item.isEmpty()) {
                continue;
            }
            if (item.contains("/")) {
                allowedNetworks.add(Network.parse(item));
            } else {
                allowedHosts.add(item.toLowerCase(Locale.ROOT));
            }
        }
    }

    /** Why the URL may not be called now, or null when it may. */
    String refusal(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return "the URL has no host";
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (allowedHosts.contains(bare.toLowerCase(Locale.ROOT))) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            return "the host " + host + " does not resolve";
        }
        for (InetAddress address : addresses) {
            if (isInternal(address) && allowedNetworks.stream().noneMatch(n -> n.contains(address))) {
                return "the host " + host + " is at " + address.getHostAddress() + ", an internal address (loopback, "
                        + "link-local, private or unspecified); an ADMIN allows such networks in "
                        + "vfzone.notifications.webhook-allowed-networks";
            }
        }
        return null;
    }

    static boolean isInternal(InetAddress address) {
        InetAddress plain = unmapped(address);
        if (plain.isLoopbackAddress() || plain.isLinkLocalAddress() || plain.isSiteLocalAddress()
                || plain.isAnyLocalAddress() || plain.isMulticastAddress()) {
            return true;
        }
        byte[] b = plain.getAddress();
        if (plain instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT, RFC 6598
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking, RFC 2544
                    || first >= 240; // reserved and broadcast
        }
        return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
    }

    /** An IPv4 address written as IPv6 (::ffff:a.b.c.d, or the old ::a.b.c.d) is that IPv4 address. */
    private static InetAddress unmapped(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] b = address.getAddress();
            boolean zeros = true;
            for (int i = 0; i < 10; i++) {
                zeros &= b[i] == 0;
            }
            boolean mapped = zeros && (b[10] == (byte) 0xff && b[11] == (byte) 0xff || b[10] == 0 && b[11] == 0
                    && (b[12] != 0 || b[13] != 0));
            if (mapped) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /** A CIDR block such as {@code 10.20.0.0/16} or {@code fd00::/8}. */
    record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            try {
                byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
                int bits = Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(prefix, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("vfzone.notifications.webhook-allowed-networks: " + cidr
                        + " is not a network like 10.0.0.0/8", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] b = unmapped(address).getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >> (i % 8);
                if ((b[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
