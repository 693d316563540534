package dev.fhirbolt.app.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.storage.KvStore;
import dev.fhirbolt.storage.StorageFullException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /admin/backups} for the admin (or anyone without security): {@code POST} writes a backup of the running
 * server into the backup directory and answers where; {@code GET} lists the backups there.
 */
public final class BackupHandler extends Handler.Abstract {

    public static final String PATH = "/admin/backups";
    private static final Logger LOG = LoggerFactory.getLogger(BackupHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KvStore kv;
    private final LongSupplier visibleTransaction;
    private final Path root;
    private final String serverVersion;
    private final Predicate<Request> allowed;
    private final Path consoleDir;
    /** One backup at a time: a second request while one is written waits for it rather than doubling the work. */
    private final ReentrantLock writing = new ReentrantLock();

    public BackupHandler(KvStore kv, LongSupplier visibleTransaction, Path root, String serverVersion,
            Predicate<Request> allowed) {
        this(kv, visibleTransaction, root, serverVersion, allowed, null);
    }

    /** @param consoleDir the console's state folder, copied into each backup (null: none) */
    public BackupHandler(KvStore kv, LongSupplier visibleTransaction, Path root, String serverVersion,
            Predicate<Request> allowed, Path consoleDir) {
        this.consoleDir = consoleDir;
        this.kv = kv;
        this.visibleTransaction = visibleTransaction;
        this.root = root;
        this.serverVersion = serverVersion;
        this.allowed = allowed;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!PATH.equals(Request.getPathInContext(request))) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (!allowed.test(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"fhirbolt-admin\"");
            return error(response, callback, 401, "unauthorized", "admin credentials are required");
        }
        try {
            switch (request.getMethod()) {
                case "GET", "HEAD" -> {
                    ArrayNode list = JSON.createArrayNode();
                    Backups.list(root).forEach(b -> list.add(b.toJson()));
                    ObjectNode body = JSON.createObjectNode();
                    body.put("directory", root.toString());
                    body.set("backups", list);
                    return answer(response, callback, 200, body);
                }
                case "POST" -> {
                    writing.lock();
                    try {
                        Backups.Backup made = Backups.create(kv, visibleTransaction.getAsLong(), root, serverVersion,
                                Clock.systemUTC(), consoleDir);
                        LOG.info("backup written to {} ({} bytes, transactions up to {})", made.directory(),
                                made.bytes(), made.lastTransaction());
                        return answer(response, callback, 201, made.toJson());
                    } finally {
                        writing.unlock();
                    }
                }
                default -> {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
                    return error(response, callback, 405, "method_not_allowed",
                            PATH + " answers GET (the list) and POST (a new backup)");
                }
            }
        } catch (StorageFullException e) {
            return error(response, callback, 507, "insufficient_storage", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("backup failed", e);
            return error(response, callback, 500, "backup_failed", String.valueOf(e.getMessage()));
        }
    }

    private static boolean error(Response response, Callback callback, int status, String error, String description) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        return answer(response, callback, status, body);
    }

    private static boolean answer(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
