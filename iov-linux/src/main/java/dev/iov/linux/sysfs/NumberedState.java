package dev.iov.linux.sysfs;

/**
 * A sysfs state of the form {@code "N: NAME"} (InfiniBand {@code state} "4: ACTIVE", {@code phys_state} "5: LinkUp").
 *
 * @param number the number before the colon
 * @param name the name after it
 */
public record NumberedState(int number, String name) {
}
