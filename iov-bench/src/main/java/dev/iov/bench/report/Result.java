package dev.iov.bench.report;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One benchmark run with one set of parameters: an entry of JMH's JSON results, or a peer's figure measured
 * outside JMH and given the same shape.
 *
 * @param benchmark the full name, {@code package.Class.method}
 * @param mode JMH's mode ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss}) or {@code peer}
 * @param params the parameters, by name
 * @param primary the score
 * @param secondary further metrics by name, e.g. {@code gc.alloc.rate.norm}
 */
public record Result(String benchmark, String mode, Map<String, String> params, Metric primary,
        Map<String, Metric> secondary) {

    /**
     * @param benchmark the full name
     * @param mode the mode
     * @param params the parameters
     * @param primary the score
     * @param secondary further metrics
     */
    public Result {
        Objects.requireNonNull(benchmark, "benchmark");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(primary, "primary");
        params = Map.copyOf(params);
        secondary = Map.copyOf(secondary);
    }

    /** @return the simple class name, e.g. {@code RssBench} */
    public String className() {
        String withoutMethod = benchmark.substring(0, Math.max(0, benchmark.lastIndexOf('.')));
        return withoutMethod.substring(withoutMethod.lastIndexOf('.') + 1);
    }

    /** @return the method name, e.g. {@code toeplitzIpv4Tcp} */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /**
     * @param name a parameter
     * @return its value, or null when the benchmark has no such parameter
     */
    public String param(String name) {
        return params.get(name);
    }

    /**
     * A secondary metric by the end of its name: JMH 1.37 names the GC profiler's normalized allocation
     * {@code gc.alloc.rate.norm}, older versions {@code ·gc.alloc.rate.norm}.
     *
     * @param suffix the end of the name
     * @return the metric, if present
     */
    public Optional<Metric> secondary(String suffix) {
        Metric exact = secondary.get(suffix);
        if (exact != null) {
            return Optional.of(exact);
        }
        return secondary.entrySet().stream().filter(e -> e.getKey().endsWith(suffix)).map(Map.Entry::getValue)
                .findFirst();
    }
}
