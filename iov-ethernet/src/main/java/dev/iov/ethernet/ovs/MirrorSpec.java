package dev.iov.ethernet.ovs;

import dev.iov.api.net.VlanId;
import java.util.Objects;
import java.util.Set;

/**
 * A port mirror on one bridge ({@code Mirror} row): what to select and where to send the copies.
 *
 * @param name the mirror's name
 * @param selectSrcPorts copy frames received on these ports
 * @param selectDstPorts copy frames sent out of these ports
 * @param selectVlans only frames in these VLANs; empty for all
 * @param outputPort the port that receives the copies
 */
public record MirrorSpec(String name, Set<String> selectSrcPorts, Set<String> selectDstPorts, Set<VlanId> selectVlans,
        String outputPort) {

    /**
     * @param name the name
     * @param selectSrcPorts source ports
     * @param selectDstPorts destination ports
     * @param selectVlans VLANs
     * @param outputPort output port
     * @throws IllegalArgumentException when nothing is selected or a name is empty
     */
    public MirrorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outputPort, "outputPort");
        selectSrcPorts = Set.copyOf(selectSrcPorts);
        selectDstPorts = Set.copyOf(selectDstPorts);
        selectVlans = Set.copyOf(selectVlans);
        if (name.isEmpty() || outputPort.isEmpty()) {
            throw new IllegalArgumentException("mirror needs a name and an output port, got '" + name + "' and '"
                    + outputPort + "'");
        }
        if (selectSrcPorts.isEmpty() && selectDstPorts.isEmpty() && selectVlans.isEmpty()) {
            throw new IllegalArgumentException("mirror '" + name + "' selects nothing");
        }
    }
}
