package dev.strata.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks TCP ports that are free on the loopback interface right now. All sockets of one call stay
 * open until every port is chosen, so the ports of one call are distinct. There is an unavoidable
 * window between choosing a port and the server binding it.
 */
public final class FreePorts {
    private FreePorts() {}

    /** One free loopback port. */
    public static int one() {
        return many(1)[0];
    }

    /** {@code count} distinct free loopback ports. */
    public static int[] many(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                socket.setReuseAddress(true);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find " + count + " free ports on loopback", e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket we never accepted on cannot lose anything.
                }
            }
        }
    }

    /** Whether something on this host accepts TCP connections on {@code host:port}. */
    public static boolean accepts(String host, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
