package dev.iov.infiniband.hca;

/**
 * The port state policy of an mlx5 VF ({@code device/sriov/<vf>/policy}): whether the VF's port follows the PF's
 * physical port, or is forced up or down. The words are {@code policy_str} in mlx5's {@code sriov_sysfs.c}.
 */
public enum VfPortPolicy {
    /** The VF's port is down ({@code MLX5_POLICY_DOWN}). */
    DOWN("Down"),
    /** The VF's port is up whatever the physical port does ({@code MLX5_POLICY_UP}). */
    UP("Up"),
    /** The VF's port follows the physical port ({@code MLX5_POLICY_FOLLOW}). */
    FOLLOW("Follow"),
    /** The firmware reported a value the driver does not know; shown as {@code "Invalid policy"}. */
    INVALID("Invalid policy");

    private final String word;

    VfPortPolicy(String word) {
        this.word = word;
    }

    /** @return the word the driver shows and accepts ({@code Down}, {@code Up}, {@code Follow}) */
    public String word() {
        return word;
    }

    /**
     * @param text the file's content without the newline
     * @return the policy
     * @throws IllegalArgumentException naming the text when it is none of the driver's words
     */
    public static VfPortPolicy fromWord(String text) {
        for (VfPortPolicy policy : values()) {
            if (policy.word.equals(text)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("unknown VF port policy '" + text + "': expected Down, Up, Follow or "
                + "Invalid policy");
    }
}
