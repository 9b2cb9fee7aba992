package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks free TCP ports on 127.0.0.1.
 *
 * <p>The machine is shared, so fixed ports would collide with other builds. The port is free when
 * this returns; a service that starts right after binds it before anyone else is likely to.
 */
public final class FreePorts {

    private FreePorts() {}

    /** Ports already handed out by this JVM, never handed out twice. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /**
     * A port that nothing on 127.0.0.1 listens on at the moment of the call, and that this JVM has
     * not handed out before: the kernel may offer the same ephemeral port to two calls in a row
     * (seen: a registry's HTTP and management ports were the same, and it never became ready).
     */
    public static synchronized int pick() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("No new free port on 127.0.0.1 after 100 attempts");
    }
}
