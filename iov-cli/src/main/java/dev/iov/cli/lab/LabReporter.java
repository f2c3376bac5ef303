package dev.iov.cli.lab;

import java.util.List;

/**
 * Prints a lab run as it happens: {@link TextReporter} for people, {@link JsonReporter} as JSON lines for programs.
 * Calls come from one thread at a time (the scenario, or the teardown on a shutdown hook); implementations flush
 * after every call so that a person or a test sees each step as it ends.
 */
public interface LabReporter {

    /**
     * A remark that is not a step: the in-process fallback, stale namespaces removed, waiting for a signal.
     *
     * @param kind a short name for JSON ({@code fallback}, {@code stale}, {@code hold}, {@code teardown})
     * @param message the remark
     */
    void notice(String kind, String message);

    /**
     * The fabric is up.
     *
     * @param plane what the VMs, hosts and uplinks are
     * @param vms every VM
     */
    void fabricUp(String plane, List<LabVm> vms);

    /**
     * A step ended.
     *
     * @param index its number, from 1
     * @param total how many steps there are
     * @param result what it found
     */
    void step(int index, int total, StepResult result);

    /**
     * The scenario ended.
     *
     * @param results every step's result
     * @param seconds the run's wall time so far
     * @param pcap the mirror file, or null when none was written
     */
    void summary(List<StepResult> results, double seconds, String pcap);
}
