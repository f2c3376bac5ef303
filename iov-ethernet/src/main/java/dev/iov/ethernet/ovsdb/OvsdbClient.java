package dev.iov.ethernet.ovsdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to an OVSDB server ({@code ovsdb-server}) speaking RFC 7047 JSON-RPC: {@code list_dbs},
 * {@code get_schema}, {@code transact}, {@code monitor}/{@code monitor_cancel} and {@code echo}. The server's own
 * {@code echo} requests (its inactivity probes) are answered automatically.
 *
 * <p>Requests are matched to replies by id; a reader thread reads replies and notifications, and a separate event
 * thread calls {@link MonitorListener}s, so listeners may use the client. Each request waits at most the timeout
 * given to {@link #connect}. Thread-safe.
 *
 * <p>Every failure is an {@link OvsdbException}: the server's error (of a request or of one operation), a failed
 * {@code wait} ({@link OvsdbWaitFailedException}), or a lost, broken or silent connection
 * ({@link OvsdbConnectionException}; requests in flight fail with it and the client closes).
 */
public final class OvsdbClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OvsdbClient.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String target;
    private final Duration timeout;
    private final SocketChannel channel;
    private final Object writeLock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<String, MonitorListener> monitors = new ConcurrentHashMap<>();
    private final AtomicReference<OvsdbConnectionException> closed = new AtomicReference<>();
    private final ExecutorService events;
    private final Thread reader;

    private OvsdbClient(String target, Duration timeout, SocketChannel channel) {
        this.target = target;
        this.timeout = timeout;
        this.channel = channel;
        this.events = Executors.newSingleThreadExecutor(r -> daemon(r, "ovsdb-events " + target));
        this.reader = daemon(this::readLoop, "ovsdb-reader " + target);
    }

    /**
     * Connects to a server.
     *
     * @param target {@code unix:PATH} or {@code tcp:HOST:PORT}, as OVS names remotes
     * @param timeout how long to wait for a connection and, later, for each reply
     * @return the connected client
     * @throws IllegalArgumentException when the target is not in either form
     * @throws OvsdbConnectionException when the server cannot be reached
     */
    public static OvsdbClient connect(String target, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("OVSDB request timeout must be positive, got " + timeout);
        }
        OvsdbClient client = new OvsdbClient(target, timeout, OvsdbTransport.open(target, timeout));
        client.reader.start();
        return client;
    }

    /** @return the target this client is connected to */
    public String target() {
        return target;
    }

    /** @return the names of the server's databases */
    public List<String> listDbs() {
        JsonNode result = call("list_dbs", JSON.arrayNode(), "list_dbs");
        List<String> names = new ArrayList<>();
        if (!result.isArray()) {
            throw protocol("list_dbs result is not an array: " + result, null);
        }
        result.forEach(n -> names.add(n.asText()));
        return names;
    }

    /**
     * @param database a database name
     * @return its schema, as the server sent it
     */
    public JsonNode getSchema(String database) {
        return call("get_schema", JSON.arrayNode().add(database), "get_schema " + database);
    }

    /**
     * Runs operations as one transaction: all of them commit or none does.
     *
     * @param database the database
     * @param operations the operations, in order
     * @return one result per operation
     * @throws OvsdbWaitFailedException when a {@code wait} did not hold
     * @throws OvsdbException when an operation or the commit failed (the exception names the operation)
     */
    public List<OperationResult> transact(String database, List<Operation> operations) {
        ArrayNode params = JSON.arrayNode().add(database);
        operations.forEach(o -> params.add(o.toJson()));
        String context = "transact " + database;
        JsonNode result = call("transact", params, context);
        if (!result.isArray()) {
            throw protocol("transact result is not an array: " + result, null);
        }
        List<OperationResult> results = new ArrayList<>();
        for (int i = 0; i < result.size(); i++) {
            JsonNode one = result.get(i);
            if (one != null && one.isObject() && one.hasNonNull("error")) {
                String error = one.get("error").asText();
                String details = one.hasNonNull("details") ? one.get("details").asText() : null;
                if (i >= operations.size()) {
                    throw new OvsdbException(error, details, context + " commit");
                }
                Operation op = operations.get(i);
                String where = context + " operation " + i + " (" + op + ")";
                if (op.op().equals("wait") && error.equals("timed out")) {
                    throw new OvsdbWaitFailedException(i, details, where);
                }
                throw new OvsdbException(error, details, where);
            }
            if (i < operations.size()) {
                results.add(new OperationResult(one));
            }
        }
        if (results.size() != operations.size()) {
            throw protocol("transact returned " + results.size() + " results for " + operations.size()
                    + " operations", null);
        }
        return results;
    }

    /**
     * @param database the database
     * @param operations the operations, in order
     * @return one result per operation
     * @see #transact(String, List)
     */
    public List<OperationResult> transact(String database, Operation... operations) {
        return transact(database, List.of(operations));
    }

    /**
     * Starts watching tables. The listener sees every later change of the monitored columns.
     *
     * @param database the database
     * @param columnsByTable the columns to watch per table; an empty list watches all columns
     * @param listener receives the changes
     * @return the monitor, with the current contents; close it to cancel
     */
    public Monitor monitor(String database, Map<String, List<String>> columnsByTable, MonitorListener listener) {
        Objects.requireNonNull(listener, "listener");
        String id = "iov-monitor-" + ids.incrementAndGet();
        ObjectNode requests = JSON.objectNode();
        columnsByTable.forEach((table, columns) -> {
            ObjectNode request = JSON.objectNode();
            if (!columns.isEmpty()) {
                ArrayNode array = request.putArray("columns");
                columns.forEach(array::add);
            }
            requests.set(table, request);
        });
        monitors.put(id, listener);
        try {
            JsonNode result = call("monitor", JSON.arrayNode().add(database).add(id).add(requests),
                    "monitor " + database);
            return new Monitor(this, id, TableUpdates.decode(result));
        } catch (RuntimeException e) {
            monitors.remove(id);
            throw e;
        }
    }

    void cancelMonitor(String id) {
        MonitorListener listener = monitors.remove(id);
        if (listener == null) {
            return;
        }
        if (closed.get() == null) {
            call("monitor_cancel", JSON.arrayNode().add(id), "monitor_cancel " + id);
        }
        events.execute(() -> listener.onClosed(null));
    }

    /** Sends {@code echo} and waits for the answer: proves the server is alive. */
    public void echo() {
        JsonNode payload = JSON.arrayNode().add("iov-echo");
        JsonNode result = call("echo", payload, "echo");
        if (!payload.equals(result)) {
            throw protocol("echo answered " + result + " to " + payload, null);
        }
    }

    /** @return true until the connection is closed or lost */
    public boolean isOpen() {
        return closed.get() == null;
    }

    /** Closes the connection; requests in flight fail with {@link OvsdbConnectionException}. Idempotent. */
    @Override
    public void close() {
        shutdown(new OvsdbConnectionException("closed", null, "OVSDB " + target, null));
        if (Thread.currentThread() != reader) {
            try {
                reader.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private JsonNode call(String method, JsonNode params, String context) {
        OvsdbConnectionException gone = closed.get();
        if (gone != null) {
            throw new OvsdbConnectionException(gone.error(), gone.details().orElse(null),
                    "OVSDB " + target + " " + context, gone);
        }
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode request = JSON.objectNode().put("method", method).put("id", id);
        request.set("params", params);
        try {
            send(request);
            JsonNode response = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            JsonNode error = response.get("error");
            if (error != null && !error.isNull()) {
                throw serverError(error, context);
            }
            JsonNode result = response.get("result");
            if (result == null) {
                throw protocol("reply without result: " + response, null);
            }
            return result;
        } catch (TimeoutException e) {
            throw new OvsdbConnectionException("timeout", "no reply within " + timeout,
                    "OVSDB " + target + " " + context, e);
        } catch (ExecutionException e) {
            OvsdbException cause = (OvsdbException) e.getCause();
            throw new OvsdbConnectionException(cause.error(), cause.details().orElse(null),
                    "OVSDB " + target + " " + context, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OvsdbConnectionException("interrupted", null, "OVSDB " + target + " " + context, e);
        } finally {
            pending.remove(id);
        }
    }

    private void send(JsonNode message) {
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(message);
            synchronized (writeLock) {
                OvsdbTransport.writeFully(channel, bytes);
            }
        } catch (IOException e) {
            OvsdbConnectionException lost = new OvsdbConnectionException("connection lost", e.toString(),
                    "OVSDB " + target, e);
            shutdown(lost);
            throw lost;
        }
    }

    private void readLoop() {
        try (MappingIterator<JsonNode> messages = MAPPER.readerFor(JsonNode.class)
                .readValues(OvsdbTransport.inputStream(channel))) {
            while (messages.hasNextValue()) {
                dispatch(messages.nextValue());
            }
            shutdown(new OvsdbConnectionException("connection lost", "the server closed the connection",
                    "OVSDB " + target, null));
        } catch (JsonProcessingException | OvsdbException e) {
            shutdown(protocol(e.getMessage(), e));
        } catch (IOException | RuntimeException e) {
            shutdown(new OvsdbConnectionException("connection lost", e.toString(), "OVSDB " + target, e));
        }
    }

    private void dispatch(JsonNode message) {
        if (!message.isObject()) {
            throw protocol("a JSON-RPC message must be an object: " + abbreviate(message), null);
        }
        JsonNode method = message.get("method");
        JsonNode id = message.get("id");
        if (method != null && method.isTextual()) {
            if (method.asText().equals("echo") && id != null && !id.isNull()) {
                ObjectNode reply = JSON.objectNode();
                reply.set("id", id);
                reply.set("result", message.get("params"));
                reply.putNull("error");
                send(reply);
            } else if (method.asText().equals("update")) {
                deliverUpdate(message.get("params"));
            } else {
                LOG.debug("OVSDB {}: ignoring {}", target, abbreviate(message));
            }
            return;
        }
        if (id == null || !id.canConvertToLong() || !(message.has("result") || message.has("error"))) {
            throw protocol("neither a request nor a reply: " + abbreviate(message), null);
        }
        CompletableFuture<JsonNode> reply = pending.get(id.longValue());
        if (reply != null) {
            reply.complete(message);
        } else {
            LOG.debug("OVSDB {}: reply to unknown or timed-out request {}", target, id);
        }
    }

    private void deliverUpdate(JsonNode params) {
        if (params == null || !params.isArray() || params.size() != 2) {
            throw protocol("update params must be [monitor-id, table-updates]: " + abbreviate(params), null);
        }
        MonitorListener listener = monitors.get(params.get(0).asText());
        if (listener == null) {
            return;
        }
        TableUpdates updates = TableUpdates.decode(params.get(1));
        events.execute(() -> {
            try {
                listener.onUpdate(updates);
            } catch (RuntimeException e) {
                LOG.warn("OVSDB {}: monitor listener failed", target, e);
            }
        });
    }

    private void shutdown(OvsdbConnectionException cause) {
        if (!closed.compareAndSet(null, cause)) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("OVSDB {}: close failed", target, e);
        }
        pending.values().forEach(f -> f.completeExceptionally(cause));
        List<MonitorListener> listeners = List.copyOf(monitors.values());
        monitors.clear();
        OvsdbConnectionException reported = cause.error().equals("closed") ? null : cause;
        listeners.forEach(l -> events.execute(() -> l.onClosed(reported)));
        events.shutdown();
    }

    private OvsdbException serverError(JsonNode error, String context) {
        if (error.isObject()) {
            return new OvsdbException(error.path("error").asText("unknown error"),
                    error.hasNonNull("details") ? error.get("details").asText() : null, "OVSDB " + context);
        }
        return new OvsdbException(error.asText(error.toString()), null, "OVSDB " + context);
    }

    private OvsdbConnectionException protocol(String details, Throwable cause) {
        return new OvsdbConnectionException("protocol error", details, "OVSDB " + target, cause);
    }

    private static String abbreviate(JsonNode json) {
        String text = String.valueOf(json);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }
}
