package dev.fhirbolt.app.packages;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.validation.packages.InstalledPackage;
import dev.fhirbolt.validation.packages.PackageInstallPlan;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /admin/packages}: {@code GET} lists the installed FHIR packages, {@code POST} with a package's {@code .tgz} as
 * the body installs it. Protected like the admin API and {@code /metrics}: the admin's credentials when security is
 * on. Refusals answer an OperationOutcome.
 */
public final class PackageAdminHandler extends Handler.Abstract {

    static final String PATH = "/admin/packages";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PackageAdminHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PackageInstaller installer;
    private final Predicate<Request> allowed;
    private final long maxBytes;

    public PackageAdminHandler(PackageInstaller installer, Predicate<Request> allowed, long maxBytes) {
        this.installer = installer;
        this.allowed = allowed;
        this.maxBytes = maxBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (!PATH.equals(path) && !(PATH + "/").equals(path)) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        try {
            if (!allowed.test(request)) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"fhirbolt-admin\"");
                throw new FhirException(401, IssueType.LOGIN, "admin credentials are required");
            }
            switch (request.getMethod()) {
                case "GET" -> json(response, callback, 200, list());
                case "POST" -> json(response, callback, 201, installed(installer.install(body(request))));
                default -> {
                    response.getHeaders().put(HttpHeader.ALLOW, "GET, POST");
                    throw new FhirException(405, IssueType.NOT_SUPPORTED, PATH + " answers GET (list) and POST (a"
                            + " package's .tgz as the body: install)");
                }
            }
        } catch (FhirException e) {
            fail(response, callback, e);
        } catch (RuntimeException e) {
            String incident = java.util.UUID.randomUUID().toString();
            LOG.error("package install failed (incident {})", incident, e);
            fail(response, callback, new FhirException(500, IssueType.EXCEPTION, "the package could not be installed;"
                    + " incident " + incident + " is in the server log"));
        }
        return true;
    }

    private static void fail(Response response, Callback callback, FhirException e) {
        byte[] body = ResourceWriter.render(OperationOutcomes.of(e), RenderOptions.COMPACT_JSON);
        answer(response, callback, e.status(), "application/fhir+json", body);
    }

    private byte[] body(Request request) {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                throw new FhirException(413, IssueType.TOO_LONG, "the package is larger than " + maxBytes + " bytes");
            }
            if (body.length == 0) {
                throw FhirException.invalid("POST " + PATH + " needs a package's .tgz as the body");
            }
            return body;
        } catch (IOException e) {
            throw FhirException.invalid("the package could not be read: " + e.getMessage());
        }
    }

    private ObjectNode list() {
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode packages = answer.putArray("packages");
        for (InstalledPackage p : installer.list()) {
            ObjectNode o = packages.addObject().put("name", p.name()).put("version", p.version())
                    .put("resources", p.resources());
            ObjectNode deps = o.putObject("dependencies");
            p.dependencies().forEach(deps::put);
        }
        return answer;
    }

    static ObjectNode installed(PackageInstallPlan plan) {
        ObjectNode answer = JSON.createObjectNode().put("name", plan.pkg().name()).put("version", plan.pkg().version());
        ObjectNode counts = answer.putObject("installed");
        plan.counts().forEach(counts::put);
        answer.put("skipped", plan.pkg().skipped());
        return answer;
    }

    private static void json(Response response, Callback callback, int status, ObjectNode body) {
        try {
            answer(response, callback, status, "application/json", JSON.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(Response response, Callback callback, int status, String type, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
