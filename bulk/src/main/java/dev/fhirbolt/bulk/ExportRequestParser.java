package dev.fhirbolt.bulk;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.rest.DateRanges;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.Route;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Reads a $export kick-off (query parameters, or a Parameters body on POST) into an {@link ExportSpec}. */
final class ExportRequestParser {

    private static final Set<String> NDJSON = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final Set<String> KNOWN = Set.of("_outputFormat", "_type", "_since", "_typeFilter", "patient",
            "_format", "_pretty");

    private ExportRequestParser() {
    }

    static ExportSpec parse(FhirRequest request, Route route, List<String> groupPatients) {
        if (!request.prefer().respondAsync()) {
            throw FhirException.invalid("$export runs asynchronously: send the header 'Prefer: respond-async'");
        }
        request.header("Accept").ifPresent(accept -> {
            if (!accept.contains("application/fhir+json") && !accept.contains("*/*")
                    && !accept.contains("application/json")) {
                throw FhirException.invalid("$export answers in application/fhir+json; the Accept header asked for "
                        + accept);
            }
        });
        Map<String, List<String>> params = parameters(request);
        for (String name : params.keySet()) {
            if (!KNOWN.contains(name)) {
                throw FhirException.notSupported("the $export parameter '" + name + "' is not supported; supported: "
                        + "_outputFormat, _type, _since, _typeFilter, patient");
            }
        }
        List<String> formats = params.getOrDefault("_outputFormat", List.of());
        for (String format : formats) {
            if (!NDJSON.contains(format)) {
                throw FhirException.notSupported("_outputFormat '" + format + "' is not supported; use "
                        + "application/fhir+ndjson");
            }
        }
        List<String> types = new ArrayList<>();
        for (String value : params.getOrDefault("_type", List.of())) {
            for (String type : value.split(",")) {
                String t = type.trim();
                if (!Fhir.isResourceType(t)) {
                    throw FhirException.invalid("_type names '" + t + "', which is not a FHIR R4 resource type");
                }
                types.add(t);
            }
        }
        Long since = params.getOrDefault("_since", List.of()).stream().findFirst()
                .map(v -> DateRanges.parse("_since", v).start().toEpochMilli()).orElse(null);
        Map<String, List<String>> filters = new LinkedHashMap<>();
        for (String filter : params.getOrDefault("_typeFilter", List.of())) {
            for (String one : filter.split(",(?=[A-Z][A-Za-z]+\\?)")) {
                int q = one.indexOf('?');
                String type = q < 0 ? "" : one.substring(0, q);
                if (q < 0 || !Fhir.isResourceType(type) || q == one.length() - 1) {
                    throw FhirException.invalid("_typeFilter must look like Type?search-params, got '" + one + "'");
                }
                if (!types.isEmpty() && !types.contains(type)) {
                    throw FhirException.invalid("_typeFilter names " + type + ", which _type leaves out");
                }
                filters.computeIfAbsent(type, k -> new ArrayList<>()).add(one.substring(q + 1));
            }
        }
        ExportSpec.Level level = route.id().isPresent() ? ExportSpec.Level.GROUP
                : route.type().isPresent() ? ExportSpec.Level.PATIENT : ExportSpec.Level.SYSTEM;
        List<String> patients = new ArrayList<>(groupPatients);
        for (String patient : params.getOrDefault("patient", List.of())) {
            if (level == ExportSpec.Level.SYSTEM) {
                throw FhirException.invalid("the patient parameter applies to Patient and Group level exports");
            }
            String id = patient.startsWith("Patient/") ? patient.substring("Patient/".length()) : patient;
            if (level == ExportSpec.Level.GROUP && !groupPatients.contains(id)) {
                continue;
            }
            if (level == ExportSpec.Level.PATIENT) {
                patients.add(id);
            }
        }
        if (level == ExportSpec.Level.GROUP && params.containsKey("patient")) {
            List<String> requested = params.get("patient").stream()
                    .map(p -> p.startsWith("Patient/") ? p.substring(8) : p).toList();
            patients.retainAll(requested);
        }
        String requestUrl = request.baseUrl() + "/" + request.path()
                + (request.params().isEmpty() ? "" : "?" + request.params().toQueryString());
        return new ExportSpec(level, route.id().orElse(null), types, since, filters, patients.stream().distinct()
                .toList(), requestUrl);
    }

    private static Map<String, List<String>> parameters(FhirRequest request) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        request.params().asMap().forEach((k, v) -> params.put(k, new ArrayList<>(v)));
        if ("POST".equals(request.method()) && request.hasBody()) {
            Resource body = RequestBodies.read(request, "Parameters");
            for (Parameters.ParametersParameterComponent p : ((Parameters) body).getParameter()) {
                String value = p.getValue() instanceof Reference ref ? ref.getReference()
                        : p.getValue() == null ? null : p.getValue().primitiveValue();
                if (value == null) {
                    throw FhirException.invalid("the $export parameter '" + p.getName() + "' has no value");
                }
                params.computeIfAbsent(p.getName(), k -> new ArrayList<>()).add(value);
            }
        }
        return params;
    }

}
