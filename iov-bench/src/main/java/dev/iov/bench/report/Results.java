package dev.iov.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every result of one report run, looked up by class, method and parameters. */
public final class Results {
    private final List<Result> all;

    /** @param results the results, from any number of files */
    public Results(Collection<Result> results) {
        this.all = List.copyOf(results);
    }

    /** @return every result */
    public List<Result> all() {
        return all;
    }

    /**
     * @param className the simple class name, e.g. {@code RssBench}, or a peer's pseudo class
     * @param method the method
     * @param params parameters the result must have (others are ignored)
     * @return the first matching result
     */
    public Optional<Result> find(String className, String method, Map<String, String> params) {
        return all.stream().filter(r -> r.className().equals(className) && r.method().equals(method)
                && params.entrySet().stream().allMatch(p -> p.getValue().equals(r.param(p.getKey())))).findFirst();
    }

    /**
     * @param className the simple class name
     * @param method the method
     * @return every result of that benchmark, in input order
     */
    public List<Result> of(String className, String method) {
        List<Result> found = new ArrayList<>();
        for (Result r : all) {
            if (r.className().equals(className) && r.method().equals(method)) {
                found.add(r);
            }
        }
        return found;
    }

    /** @return true when some result of the class is present */
    public boolean has(String className) {
        return all.stream().anyMatch(r -> r.className().equals(className));
    }
}
