package dev.iov.cli.lab;

import dev.iov.api.net.InterfaceName;
import dev.iov.linux.NetworkNamespace;
import dev.iov.linux.PacketSocket;
import java.nio.ByteBuffer;

/**
 * Announces a moved VM the way a hypervisor does after a live migration: gratuitous ARP from the VM's NIC, so that
 * every switch on the way learns the MAC's new place at once instead of when the VM next speaks.
 */
final class GratuitousArp {

    private static final int COPIES = 2;

    private GratuitousArp() {
    }

    /**
     * @param namespace the VM's namespace
     * @param nic its NIC
     * @param vm the VM (MAC and address)
     */
    static void send(NetworkNamespace namespace, InterfaceName nic, LabVm vm) {
        byte[] announce = GeneratedFrames.gratuitousArp(vm.mac(), vm.address());
        ByteBuffer frame = ByteBuffer.allocateDirect(announce.length);
        try (PacketSocket socket = PacketSocket.open(nic.value(), namespace)) {
            for (int i = 0; i < COPIES; i++) {
                frame.clear();
                frame.put(announce).flip();
                socket.send(frame);
            }
        }
    }
}
