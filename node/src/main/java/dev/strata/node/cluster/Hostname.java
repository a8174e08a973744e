package dev.strata.node.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This machine's host name: $HOSTNAME (set in every Kubernetes pod to the pod name), else the resolver's. */
public final class Hostname {
    private Hostname() {}

    public static String get() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
