package dev.iov.cli.lab;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.cli.StandardStreams;
import dev.iov.cli.TerminalText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints a lab run as JSON lines: {@code {"vms":[...]}} once the fabric is up, then one {@code {"event":...}} line per
 * step or notice, then {@code {"summary":{...}}}. Every line is one complete JSON document.
 */
final class JsonReporter implements LabReporter {

    private static final ObjectMapper MAPPER = new ObjectMapper(
            new JsonFactory().setCharacterEscapes(TerminalText.jsonEscapes()))
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private final PrintWriter out;

    JsonReporter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void notice(String kind, String message) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", kind);
        line.put("message", message);
        print(line);
    }

    @Override
    public void fabricUp(String plane, List<LabVm> vms) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (LabVm vm : vms) {
            list.add(vmJson(vm));
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("vms", list);
        line.put("plane", plane);
        print(line);
        StandardStreams.check(out);
    }

    static Map<String, Object> vmJson(LabVm vm) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", vm.name());
        m.put("host", vm.host().value());
        m.put("netns", vm.netns());
        m.put("ip", vm.ip());
        m.put("mac", vm.mac().toString());
        m.put("network", vm.network().value());
        return m;
    }

    @Override
    public void step(int index, int total, StepResult result) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "step");
        line.put("step", result.step());
        line.put("index", index);
        line.put("total", total);
        line.put("ok", result.ok());
        line.put("detail", result.detail());
        line.putAll(new java.util.TreeMap<>(result.data()));
        print(line);
        StandardStreams.check(out);
    }

    @Override
    public void summary(List<StepResult> results, double seconds, String pcap) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (StepResult r : results) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("step", r.step());
            s.put("ok", r.ok());
            s.put("detail", r.detail());
            steps.add(s);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("ok", results.stream().allMatch(StepResult::ok));
        summary.put("seconds", Math.round(seconds * 10) / 10.0);
        summary.put("pcap", pcap);
        summary.put("steps", steps);
        print(Map.of("summary", summary));
        StandardStreams.check(out);
    }

    private void print(Object value) {
        try {
            out.println(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
        out.flush();
    }
}
