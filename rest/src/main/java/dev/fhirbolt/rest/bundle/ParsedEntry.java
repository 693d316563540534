package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.InteractionKind;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.rest.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.BundleEntryRequestComponent;
import org.hl7.fhir.r4.model.Resource;

/** A batch or transaction entry understood: method, route, criteria, resource and its conditional headers. */
record ParsedEntry(int index, String fullUrl, String method, String url, String path, Route route, Params params,
        Resource resource, Map<String, List<String>> headers) {

    /** Processing order of the spec: DELETE, POST, PUT and PATCH, then GET and HEAD. */
    int rank() {
        return switch (method) {
            case "DELETE" -> 0;
            case "POST" -> 1;
            case "PUT", "PATCH" -> 2;
            default -> 3;
        };
    }

    boolean isRead() {
        return method.equals("GET") || method.equals("HEAD");
    }

    Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String describe() {
        return "entry " + index + (fullUrl == null ? "" : " (" + fullUrl + ")") + ", " + method + " " + url;
    }

    /** The same entry without its resource (a large transaction reads it again when it needs it). */
    ParsedEntry withoutResource() {
        return new ParsedEntry(index, fullUrl, method, url, path, route, params, null, headers);
    }

    /** Reads one entry; anything wrong with it is a 400 naming the entry. */
    static ParsedEntry parse(int index, BundleEntryComponent entry, String baseUrl) {
        BundleEntryRequestComponent request = entry.getRequest();
        String fullUrl = entry.hasFullUrl() ? entry.getFullUrl() : null;
        if (request == null || !request.hasMethod() || !request.hasUrl()) {
            throw FhirException.invalid("entry " + index + " needs request.method and request.url");
        }
        String method = request.getMethod().toCode().toUpperCase(Locale.ROOT);
        String url = request.getUrl();
        String relative = url;
        if (relative.startsWith(baseUrl + "/")) {
            relative = relative.substring(baseUrl.length() + 1);
        } else if (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        int q = relative.indexOf('?');
        String path = q < 0 ? relative : relative.substring(0, q);
        if (path.contains("://")) {
            throw FhirException.invalid("entry " + index + " has request.url '" + url
                    + "' which is not on this server; use a URL relative to the base, e.g. Patient/123");
        }
        Params params = q < 0 ? Params.empty() : Params.parse(relative.substring(q + 1));
        if (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        Route route;
        try {
            route = Router.route(method, path);
        } catch (FhirException e) {
            throw new FhirException(e.status(), e.issueType(), "entry " + index + ": " + e.getMessage());
        }
        if (route.kind() == InteractionKind.BATCH) {
            throw FhirException.invalid("entry " + index + " is a nested batch or transaction, which is not allowed");
        }
        Resource resource = entry.getResource();
        boolean needsResource = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
        if (needsResource && resource == null && route.kind() != InteractionKind.OPERATION) {
            throw FhirException.invalid("entry " + index + " (" + method + " " + url + ") has no resource");
        }
        if (resource != null && (method.equals("POST") || method.equals("PUT")) && route.type().isPresent()
                && route.kind() != InteractionKind.OPERATION && !route.type().get().equals(resource.fhirType())) {
            throw FhirException.invalid("entry " + index + " holds a " + resource.fhirType() + " but its URL names "
                    + route.type().get());
        }
        Map<String, List<String>> headers = new HashMap<>();
        if (request.hasIfNoneExist()) {
            headers.put("If-None-Exist", List.of(request.getIfNoneExist()));
        }
        if (request.hasIfMatch()) {
            headers.put("If-Match", List.of(request.getIfMatch()));
        }
        if (request.hasIfNoneMatch()) {
            headers.put("If-None-Match", List.of(request.getIfNoneMatch()));
        }
        if (request.hasIfModifiedSince()) {
            headers.put("If-Modified-Since", List.of(dev.fhirbolt.rest.HttpDates.format(
                    request.getIfModifiedSince().toInstant())));
        }
        return new ParsedEntry(index, fullUrl, method, url, path, route, params, resource, headers);
    }

    /** The entry as a request the ordinary interactions handle, with the outer request's base, Prefer and identity. */
    FhirRequest toRequest(FhirRequest outer) {
        Map<String, List<String>> h = new HashMap<>(headers);
        h.put("Prefer", outer.headers().getOrDefault("Prefer", List.of("return=minimal")));
        Map<String, Object> attributes = new HashMap<>(outer.attributes());
        if (resource != null) {
            attributes.put(RequestBodies.PARSED_RESOURCE, resource);
        }
        return new FhirRequest(method, path, params, h, new byte[0], outer.baseUrl(), outer.remoteAddress(),
                attributes);
    }

    static List<ParsedEntry> sortedForProcessing(List<ParsedEntry> entries) {
        List<ParsedEntry> sorted = new ArrayList<>(entries);
        sorted.sort(java.util.Comparator.comparingInt(ParsedEntry::rank).thenComparingInt(ParsedEntry::index));
        return sorted;
    }
}
