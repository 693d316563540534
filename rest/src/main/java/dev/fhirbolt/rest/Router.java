package dev.fhirbolt.rest;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.Fhir;
import java.util.Optional;
import java.util.regex.Pattern;

/** Maps method and path to a {@link Route}, rejecting unknown types and malformed ids with clear messages. */
public final class Router {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    private Router() {
    }

    public static Route route(String requestMethod, String path) {
        String method = requestMethod.equals("HEAD") ? "GET" : requestMethod;
        String[] s = path.isEmpty() ? new String[0] : path.split("/", -1);
        for (String segment : s) {
            if (segment.isEmpty()) {
                throw FhirException.invalid("the path /" + path + " has an empty segment");
            }
        }
        if (s.length == 0) {
            return switch (method) {
                case "POST" -> Route.of(InteractionKind.BATCH);
                case "GET" -> Route.of(InteractionKind.SEARCH_SYSTEM);
                default -> throw notAllowed(method, path);
            };
        }
        String first = s[0];
        if (s.length == 1) {
            if (first.equals("metadata")) {
                return require(method, "GET", path, Route.of(InteractionKind.CAPABILITIES));
            }
            if (first.equals("_history")) {
                return require(method, "GET", path, Route.of(InteractionKind.HISTORY_SYSTEM));
            }
            if (first.equals("_search")) {
                return require(method, "POST", path, Route.of(InteractionKind.SEARCH_SYSTEM));
            }
            if (first.startsWith("$")) {
                return operation(null, null, first);
            }
            String type = type(first);
            return switch (method) {
                case "GET" -> Route.ofType(InteractionKind.SEARCH_TYPE, type);
                case "POST" -> Route.ofType(InteractionKind.CREATE, type);
                case "PUT" -> Route.ofType(InteractionKind.CONDITIONAL_UPDATE, type);
                case "DELETE" -> Route.ofType(InteractionKind.CONDITIONAL_DELETE, type);
                case "PATCH" -> Route.ofType(InteractionKind.CONDITIONAL_PATCH, type);
                default -> throw notAllowed(method, path);
            };
        }
        String type = type(first);
        String second = s[1];
        if (s.length == 2) {
            if (second.equals("_search")) {
                return require(method, "POST", path, Route.ofType(InteractionKind.SEARCH_TYPE, type));
            }
            if (second.equals("_history")) {
                return require(method, "GET", path, Route.ofType(InteractionKind.HISTORY_TYPE, type));
            }
            if (second.startsWith("$")) {
                return operation(type, null, second);
            }
            String id = id(second);
            return switch (method) {
                case "GET" -> Route.ofInstance(InteractionKind.READ, type, id);
                case "PUT" -> Route.ofInstance(InteractionKind.UPDATE, type, id);
                case "DELETE" -> Route.ofInstance(InteractionKind.DELETE, type, id);
                case "PATCH" -> Route.ofInstance(InteractionKind.PATCH, type, id);
                default -> throw notAllowed(method, path);
            };
        }
        String id = id(second);
        String third = s[2];
        if (s.length == 3) {
            if (third.equals("_history")) {
                return require(method, "GET", path, Route.ofInstance(InteractionKind.HISTORY_INSTANCE, type, id));
            }
            if (third.startsWith("$")) {
                return operation(type, id, third);
            }
            if (third.equals("*") || Fhir.isResourceType(third)) {
                return require(method, "GET", path, new Route(InteractionKind.SEARCH_COMPARTMENT, Optional.of(type),
                        Optional.of(id), Optional.empty(), Optional.empty(), Optional.of(third)));
            }
            throw FhirException.notFound("unknown path /" + path);
        }
        if (s.length == 4 && third.equals("_history")) {
            return require(method, "GET", path, new Route(InteractionKind.VREAD, Optional.of(type), Optional.of(id),
                    Optional.of(id(s[3])), Optional.empty(), Optional.empty()));
        }
        if (s.length == 4 && third.equals("_search")) {
            throw FhirException.notSupported("compartment search by POST is not supported; use GET");
        }
        throw FhirException.notFound("unknown path /" + path);
    }

    private static Route operation(String type, String id, String name) {
        return new Route(InteractionKind.OPERATION, Optional.ofNullable(type), Optional.ofNullable(id),
                Optional.empty(), Optional.of(name.substring(1)), Optional.empty());
    }

    private static Route require(String method, String expected, String path, Route route) {
        if (!method.equals(expected) && !(expected.equals("GET") && method.equals("HEAD"))) {
            throw notAllowed(method, path);
        }
        return route;
    }

    private static String type(String segment) {
        if (!Fhir.isResourceType(segment)) {
            throw new FhirException(404, IssueType.NOT_SUPPORTED,
                    "'" + segment + "' is not a FHIR R4 resource type (names are case-sensitive, e.g. Patient)");
        }
        return segment;
    }

    private static String id(String segment) {
        if (!ID.matcher(segment).matches()) {
            throw FhirException.invalid("'" + segment + "' is not a valid FHIR id (1-64 of A-Z a-z 0-9 - .)");
        }
        return segment;
    }

    private static FhirException notAllowed(String method, String path) {
        return new FhirException(405, IssueType.NOT_SUPPORTED, method + " is not allowed on /" + path);
    }

    public static boolean isValidId(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
