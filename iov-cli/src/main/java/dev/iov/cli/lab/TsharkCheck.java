package dev.iov.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Proves a pcap file is readable the way a person would read it: {@code tshark -r FILE}. */
final class TsharkCheck {

    private TsharkCheck() {
    }

    /**
     * @param file a pcap file
     * @param frames how many frames it should hold
     * @return true when tshark reads exactly that many frames, false when it fails or reads another number, null
     *     when tshark is not installed
     */
    static Boolean readsFrames(Path file, long frames) {
        if (!ProcessOutput.onPath("tshark")) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields", "-e",
                    "frame.number").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0 && out.lines().filter(l -> !l.isBlank()).count() == frames;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
