package dev.iov.cli;

import dev.iov.api.net.PKey;
import dev.iov.infiniband.partition.Membership;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code iov ib pkey explain P_KEY}: what a P_Key means: partition, membership, whom a port holding it can reach. */
@Command(name = "explain", description = "Explain a P_Key (0x8001 or decimal): its partition (low 15 bits), "
        + "membership (bit 15: full, else limited) and which keys of the partition a port holding it can talk to "
        + "(two limited members cannot).",
        footer = {"", "Examples:", "  iov ib pkey explain 0x8001", "  iov ib pkey explain 32769 --json"})
final class IbPkeyExplainCommand extends IovSubcommand {

    @Parameters(paramLabel = "P_KEY", description = "The P_Key, 0x-prefixed hex or decimal, e.g. 0x8001.")
    private String text;

    @Override
    protected CommandOutput execute() {
        PKey key;
        try {
            key = PKey.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("P_KEY: " + e.getMessage(), e);
        }
        return new Explanation(key);
    }

    /** The explanation, as text or as one JSON object. */
    record Explanation(PKey key) implements CommandOutput {

        Membership membership() {
            return key.isFullMember() ? Membership.FULL : Membership.LIMITED;
        }

        /** The keys of the partition a port holding {@link #key} can exchange packets with, full first. */
        List<PKey> reachable() {
            List<PKey> keys = new ArrayList<>();
            for (Membership other : List.of(Membership.FULL, Membership.LIMITED)) {
                if (membership().canCommunicateWith(other)) {
                    keys.addAll(other.keysIn(key));
                }
            }
            return keys;
        }

        boolean isDefault() {
            return key.partition() == PKey.DEFAULT.partition();
        }

        @Override
        public Object toJson() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("pkey", key.toString());
            document.put("partition", String.format("0x%04x", key.partition()));
            document.put("membership", membership().word());
            document.put("fullKey", key.asFull().toString());
            document.put("limitedKey", key.asLimited().toString());
            document.put("defaultPartition", isDefault());
            document.put("canTalkTo", reachable().stream().map(PKey::toString).toList());
            return document;
        }

        @Override
        public void printText(PrintWriter out) {
            out.printf("P_Key %s: partition 0x%04x%s, %s membership%n", key, key.partition(),
                    isDefault() ? " (the default partition)" : "", membership().word());
            out.printf("  full key %s, limited key %s%n", key.asFull(), key.asLimited());
            if (membership() == Membership.FULL) {
                out.printf("  can talk to every member of partition 0x%04x: full (%s) and limited (%s)%n",
                        key.partition(), key.asFull(), key.asLimited());
            } else {
                out.printf("  can talk to full members of partition 0x%04x only (%s), not to other limited "
                        + "members (%s)%n", key.partition(), key.asFull(), key.asLimited());
            }
        }
    }
}
