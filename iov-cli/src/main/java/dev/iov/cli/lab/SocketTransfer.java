package dev.iov.cli.lab;

import dev.iov.linux.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A TCP transfer between two namespaces with plain Java sockets, for machines without {@code iperf3}: the server
 * socket is opened on a thread inside the receiver's namespace and the client socket inside the sender's, so the
 * data crosses the lab's switches exactly as iperf3's would. It measures what arrived, not the best the path can do.
 */
final class SocketTransfer {

    /** What the sender writes: 16 MiB. */
    static final int BYTES = 16 << 20;
    private static final int PORT = 5201;

    private SocketTransfer() {
    }

    /**
     * @param sender the sending VM's namespace
     * @param receiver the receiving VM's namespace
     * @param address the receiver's address
     * @return the bytes received and the rate
     */
    static LabPlane.TransferResult run(NetworkNamespace sender, NetworkNamespace receiver, String address) {
        CountDownLatch listening = new CountDownLatch(1);
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> receiver.call(() -> {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getByName(address), PORT));
                server.setSoTimeout(20_000);
                listening.countDown();
                try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                    byte[] buffer = new byte[64 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        total += n;
                    }
                    return total;
                }
            }
        }));
        try {
            if (!listening.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the receiver in " + receiver.name() + " did not listen");
            }
            long start = System.nanoTime();
            sender.call(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getByName(address), PORT), 5_000);
                    OutputStream out = socket.getOutputStream();
                    byte[] chunk = new byte[64 * 1024];
                    for (int sent = 0; sent < BYTES; sent += chunk.length) {
                        out.write(chunk);
                    }
                }
                return null;
            });
            long bytes = received.get(30, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new LabPlane.TransferResult(bytes, bytes * 8 / seconds, "java-socket");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException("TCP transfer failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("TCP transfer to " + address + " did not finish in 30 s", e);
        }
    }
}
