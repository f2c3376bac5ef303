package dev.iov.linux.netlink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * One request captured from iproute2 by {@code src/test/resources/netlink/capture.sh}: the command, the interface
 * indexes in the capture namespace when it ran, and the bytes.
 */
final class GoldenVector {

    final String name;
    final String command;
    final String iproute2;
    final Map<String, Integer> ifindex = new HashMap<>();
    final byte[] bytes;

    private GoldenVector(String name, String text) {
        this.name = name;
        String cmd = null;
        String version = null;
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith("# command: ")) {
                cmd = line.substring("# command: ".length());
            } else if (line.startsWith("# iproute2: ")) {
                version = line.substring("# iproute2: ".length());
            } else if (line.startsWith("# ifindex: ")) {
                for (String pair : line.substring("# ifindex: ".length()).trim().split(" ")) {
                    String[] kv = pair.split("=");
                    ifindex.put(kv[0], Integer.parseInt(kv[1]));
                }
            } else if (!line.startsWith("#")) {
                hex.append(line.replace(" ", ""));
            }
        }
        this.command = cmd;
        this.iproute2 = version;
        this.bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
    }

    static GoldenVector load(String name) {
        try (InputStream in = GoldenVector.class.getResourceAsStream("/netlink/" + name + ".hex")) {
            if (in == null) {
                throw new IllegalArgumentException("no golden vector " + name + ".hex; run capture.sh");
            }
            return new GoldenVector(name, new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the interface index iproute2 resolved the name to in the capture namespace */
    int index(String interfaceName) {
        Integer index = ifindex.get(interfaceName);
        if (index == null) {
            throw new IllegalArgumentException(name + ": no ifindex recorded for " + interfaceName);
        }
        return index;
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes.clone());
    }

    @Override
    public String toString() {
        return name + " (" + command + ")";
    }
}
