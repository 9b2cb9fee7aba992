package io.github.flinkconfluent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks free TCP ports on 127.0.0.1.
 *
 * <p>The machine is shared, so fixed ports would collide with other builds. The port is free when
 * this returns; a service that starts right after binds it before anyone else is likely to.
 */
public final class FreePorts {

    private FreePorts() {}

    /** A port that nothing on 127.0.0.1 listens on at the moment of the call. */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not find a free port on 127.0.0.1", e);
        }
    }
}
