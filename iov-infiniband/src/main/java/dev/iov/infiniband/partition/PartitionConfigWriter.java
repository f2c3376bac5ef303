package dev.iov.infiniband.partition;

import java.util.List;

/**
 * Renders partitions as {@code partitions.conf} text that OpenSM (and {@link PartitionConfigParser}) reads back to
 * the same partitions: every P_Key explicit (so OpenSM generates none), every member with its membership written out,
 * one member per line (so no line comes near OpenSM's line buffer), each definition ended by {@code ;}:
 * <pre>
 * Storage=0x0002,ipoib,mtu=5 :
 *     0x0002c90300456b21=full,
 *     ALL=limited ;
 * </pre>
 * Multicast groups follow the members, one {@code mgid=} entry per line with no comma after it (OpenSM takes the
 * rest of an {@code mgid} line as the group's flags), the last one ended by {@code ;}:
 * <pre>
 * Storage=0x0002,ipoib :
 *     ALL=limited
 *     mgid=ff12:401b:0000:0000:0000:0000:0000:0707,sl=1 ;
 * </pre>
 */
public final class PartitionConfigWriter {

    private static final String INDENT = "    ";

    private PartitionConfigWriter() {
    }

    /**
     * @param config the partitions
     * @return the text, one definition per partition in order, each line ending in {@code \n}; empty for no partitions
     */
    public static String write(PartitionConfig config) {
        StringBuilder out = new StringBuilder();
        for (Partition p : config.partitions()) {
            write(p, out);
        }
        return out.toString();
    }

    private static void write(Partition p, StringBuilder out) {
        out.append(p.name()).append('=').append(p.pkey()).append(p.flags());
        if (p.defaultMembership() != Membership.LIMITED) {
            out.append(",defmember=").append(p.defaultMembership().word());
        }
        List<PartitionMember> members = p.members();
        List<MulticastGroup> groups = p.groups();
        if (members.isEmpty() && groups.isEmpty()) {
            out.append(" : ;\n");
            return;
        }
        out.append(" :\n");
        for (int i = 0; i < members.size(); i++) {
            boolean last = i + 1 == members.size();
            out.append(INDENT).append(members.get(i)).append(!last ? ",\n" : groups.isEmpty() ? " ;\n" : "\n");
        }
        for (int i = 0; i < groups.size(); i++) {
            out.append(INDENT).append(groups.get(i)).append(i + 1 < groups.size() ? "\n" : " ;\n");
        }
    }
}
