package dev.iov.store.zookeeper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real ZooKeeper servers, each its own JVM started from the jars of the Debian {@code zookeeper} package
 * ({@code java -cp /usr/share/java/zookeeper.jar:... org.apache.zookeeper.server.quorum.QuorumPeerMain zoo.cfg}):
 * the server CI and users run, not the one curator-test embeds.
 *
 * <p>Every server has its own fresh data directory (0700) with its {@code myid}, under one temporary directory;
 * client, quorum and election ports are free ports on 127.0.0.1 picked at start, and the servers listen on loopback
 * only. The admin server is off; the four-letter commands {@code srvr}, {@code mntr} and {@code ruok} are allowed
 * ({@code srvr} tells a server's role). {@link #stop} sends SIGTERM and then, after 10 s, SIGKILL. {@link #close}
 * stops every server and removes the directory; a JVM shutdown hook does the same should {@code close} never run.
 * Each server's output goes to {@code server-<i>/server.log}, whose tail is in the message when a server does not
 * come up.
 */
final class RealEnsemble implements Ensemble {

    /**
     * The Debian package's server jar; its manifest's {@code Class-Path} names the other jars it needs. The system
     * property {@code iov.zookeeper.jar} points elsewhere (to check the skip: {@code -Diov.zookeeper.jar=/none}).
     */
    static final Path ZOOKEEPER_JAR = Path.of(System.getProperty("iov.zookeeper.jar",
            "/usr/share/java/zookeeper.jar"));
    /** Gives the servers a log (the package depends on libslf4j-java, so it is there with the server). */
    static final Path SLF4J_SIMPLE_JAR = Path.of("/usr/share/java/slf4j-simple.jar");
    /** util-linux's setpriv, to give each server a parent-death signal. */
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final String MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
    private static final String LOOPBACK = "127.0.0.1";

    private final Path root;
    private final int[] clientPorts;
    private final List<Path> configs = new ArrayList<>();
    private final Process[] processes;
    private final Thread shutdownHook;

    private RealEnsemble(int size) throws IOException {
        root = Files.createTempDirectory("iov-zk-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        clientPorts = new int[size];
        processes = new Process[size];
        shutdownHook = new Thread(this::destroyAll, "iov-zk-ensemble-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Why real servers cannot run here, or empty when they can.
     *
     * @return e.g. "Debian package 'zookeeper' not installed (/usr/share/java/zookeeper.jar missing)"
     */
    static Optional<String> unavailable() {
        if (!Files.isRegularFile(ZOOKEEPER_JAR)) {
            return Optional.of("Debian package 'zookeeper' not installed (" + ZOOKEEPER_JAR + " missing; "
                    + "apt-get install zookeeper, as .ci/run does)");
        }
        if (!Files.isExecutable(javaExecutable())) {
            return Optional.of("no java executable at " + javaExecutable());
        }
        return Optional.empty();
    }

    /** Starts {@code size} servers and waits until all serve and one of them leads. */
    static RealEnsemble start(int size) throws Exception {
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        RealEnsemble ensemble = new RealEnsemble(size);
        try {
            ensemble.configure(size);
            for (int i = 0; i < size; i++) {
                ensemble.launch(i);
            }
            ensemble.restoreAndSettle();
            return ensemble;
        } catch (Exception | Error e) {
            String logs = ensemble.logTails();
            ensemble.close();
            throw new IllegalStateException("real ZooKeeper ensemble did not come up: " + e.getMessage()
                    + "\n" + logs, e);
        }
    }

    private void configure(int size) throws IOException {
        int[] ports = freePorts(3 * size);
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            clientPorts[i] = ports[3 * i];
            servers.append("server.").append(i + 1).append('=').append(LOOPBACK).append(':')
                    .append(ports[3 * i + 1]).append(':').append(ports[3 * i + 2]).append('\n');
        }
        for (int i = 0; i < size; i++) {
            Path dir = Files.createDirectory(root.resolve("server-" + i), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path data = Files.createDirectory(dir.resolve("data"), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.writeString(data.resolve("myid"), (i + 1) + "\n", StandardCharsets.US_ASCII);
            // tickTime 500: elections and session timeouts in seconds; sessions may ask for 1..60 s.
            String config = "tickTime=500\n"
                    + "initLimit=20\n"
                    + "syncLimit=10\n"
                    + "minSessionTimeout=1000\n"
                    + "maxSessionTimeout=60000\n"
                    + "dataDir=" + data + "\n"
                    + "clientPortAddress=" + LOOPBACK + "\n"
                    + "clientPort=" + clientPorts[i] + "\n"
                    + "quorumListenOnAllIPs=false\n"
                    + "admin.enableServer=false\n"
                    + "4lw.commands.whitelist=srvr,mntr,ruok\n"
                    + "standaloneEnabled=false\n"
                    + "reconfigEnabled=false\n"
                    + "autopurge.purgeInterval=0\n"
                    + servers;
            Path cfg = dir.resolve("zoo.cfg");
            Files.writeString(cfg, config, StandardCharsets.US_ASCII);
            configs.add(cfg);
        }
    }

    private synchronized void launch(int i) throws IOException {
        Path dir = configs.get(i).getParent();
        String classPath = ZOOKEEPER_JAR + (Files.isRegularFile(SLF4J_SIMPLE_JAR) ? ":" + SLF4J_SIMPLE_JAR : "");
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            // Last resort should this JVM be killed outright (no shutdown hook): the server gets SIGKILL when the
            // thread that started it ends. Servers are started and restarted on the test thread, which lives as
            // long as the test JVM.
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
        }
        command.addAll(List.of(javaExecutable().toString(),
                "-Xms32m", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-Djava.net.preferIPv4Stack=true",
                "-Dzookeeper.admin.enableServer=false",
                "-Dzookeeper.jmx.log4j.disable=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", classPath, MAIN, configs.get(i).toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("LC_ALL", "C");
        processes[i] = builder.start();
    }

    @Override
    public String kind() {
        return "real";
    }

    @Override
    public int size() {
        return clientPorts.length;
    }

    @Override
    public String connectString() {
        return java.util.Arrays.stream(clientPorts).mapToObj(port -> LOOPBACK + ":" + port)
                .collect(Collectors.joining(","));
    }

    @Override
    public int clientPort(int i) {
        return clientPorts[i];
    }

    /** The server's process id, for messages; -1 when stopped. */
    synchronized long pid(int i) {
        Process process = processes[i];
        return process == null ? -1 : process.pid();
    }

    @Override
    public void stop(int i) throws Exception {
        Process process;
        synchronized (this) {
            process = processes[i];
            if (process == null) {
                throw new IllegalStateException("server " + i + " is not running; " + describe());
            }
            processes[i] = null;
        }
        terminate(process);
        Await.until("server " + i + " down after it was stopped", SETTLE, () -> mode(i).equals("down"),
                this::describe);
    }

    @Override
    public void restart(int i) throws Exception {
        synchronized (this) {
            if (processes[i] != null) {
                throw new IllegalStateException("server " + i + " is running; " + describe());
            }
            launch(i);
        }
        Await.until("server " + i + " serving again", SETTLE,
                () -> mode(i).equals("leader") || mode(i).equals("follower"),
                () -> describe() + "\n" + logTail(i));
    }

    @Override
    public synchronized boolean isStopped(int i) {
        return processes[i] == null;
    }

    @Override
    public void close() {
        destroyAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run.
        }
    }

    /** SIGTERM every server, SIGKILL what is left after 10 s, then remove the directory. */
    private void destroyAll() {
        List<Process> running = new ArrayList<>();
        synchronized (this) {
            for (int i = 0; i < processes.length; i++) {
                if (processes[i] != null) {
                    running.add(processes[i]);
                    processes[i] = null;
                }
            }
        }
        running.forEach(Process::destroy);
        running.forEach(RealEnsemble::terminate);
        deleteTree(root);
    }

    /** SIGTERM, wait up to 10 s, then SIGKILL and wait for the end. */
    private static void terminate(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** The last lines of every server's log, for a failure message. */
    String logTails() {
        StringBuilder tails = new StringBuilder();
        for (int i = 0; i < configs.size(); i++) {
            tails.append(logTail(i)).append('\n');
        }
        return tails.toString();
    }

    private String logTail(int i) {
        Path log = configs.get(i).getParent().resolve("server.log");
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- server " + i + " log (last 15 lines) ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "--- server " + i + ": no log (" + e + ")";
        }
    }

    /** {@code count} distinct ports free on 127.0.0.1 now (held open together so that none repeats). */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                socket.setReuseAddress(true);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    private static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public String toString() {
        return "real ensemble " + connectString() + " in " + root;
    }
}
