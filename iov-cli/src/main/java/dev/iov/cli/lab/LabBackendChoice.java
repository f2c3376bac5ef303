package dev.iov.cli.lab;

import dev.iov.cli.UserInputException;
import java.util.List;

/**
 * The {@code --backend} of {@code iov lab}: which backend the hosts run, and what it needs from this machine.
 */
enum LabBackendChoice {
    /** The embedded Java switch on TAP ports (default). */
    JAVA_SWITCH("java-switch"),
    /** Open vSwitch with private daemons per host. */
    OVS("ovs");

    private static final List<String> OVS_PROGRAMS = List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd",
            "ovs-vsctl", "ovs-appctl", "ethtool");

    private final String cliName;

    LabBackendChoice(String cliName) {
        this.cliName = cliName;
    }

    /**
     * @param text the option's value
     * @return the choice
     * @throws UserInputException naming the value when it is no backend the lab knows
     */
    static LabBackendChoice parse(String text) {
        for (LabBackendChoice choice : values()) {
            if (choice.cliName.equals(text)) {
                return choice;
            }
        }
        throw new UserInputException("--backend must be java-switch or ovs, got '" + text + "'");
    }

    /**
     * Fails when this backend cannot fall back to the in-process switch.
     *
     * @param reason why the kernel lab cannot run
     * @throws IllegalStateException for {@link #OVS}, which needs the kernel
     */
    void requireKernel(String reason) {
        if (this == OVS) {
            throw new IllegalStateException("--backend ovs needs root and the kernel (" + reason + ")");
        }
    }

    /**
     * @return the kernel plane for this backend
     * @throws IllegalStateException when the backend's programs are not installed, or the backend is not supported
     */
    LabPlane kernelPlane() {
        if (this == JAVA_SWITCH) {
            return new NamespacePlane();
        }
        List<String> missing = OVS_PROGRAMS.stream().filter(p -> !ProcessOutput.onPath(p)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("--backend ovs needs Open vSwitch, which is not installed (no "
                    + String.join(", ", missing) + " on the PATH); install openvswitch-switch or use the default "
                    + "java-switch backend");
        }
        return new OvsPlane();
    }
}
