package dev.fhirbolt.rest.operation;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.rest.DateRanges;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.search.SearchEngine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Patient/[id]/$everything and Patient/$everything: the patient, every resource in its compartment, and the
 * non-patient resources those reference (Practitioner, Organization, Medication, Location...). Pages are cut from
 * the record as it was when the first page was asked for, so they do not shift while a client pages.
 */
public final class PatientEverythingOperation implements Operation {

    private static final int DEFAULT_COUNT = 100;
    private static final int MAX_COUNT = 1000;

    private final ResourceStore store;
    private final SearchEngine search;
    private final EverythingRecords records = new EverythingRecords();

    public PatientEverythingOperation(ResourceStore store, SearchEngine search) {
        this.store = store;
        this.search = search;
    }

    @Override
    public String name() {
        return "everything";
    }

    @Override
    public Set<String> types() {
        return Set.of("Patient");
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.TYPE, Level.INSTANCE);
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/Patient-everything";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw new FhirException(405, dev.fhirbolt.common.IssueType.NOT_SUPPORTED, "$everything takes GET or POST");
        }
        Params params = request.params();
        EverythingPage.Cursor cursor = params.first("_page").map(EverythingPage.Cursor::decode)
                .orElse(new EverythingPage.Cursor(store.lastT(), 0));
        int count = count(params);
        Optional<Instant> since = params.first("_since").map(v -> DateRanges.parse("_since", v).start());
        Optional<String> start = params.first("start").map(v -> check("start", v));
        Optional<String> end = params.first("end").map(v -> check("end", v));
        Set<String> types = types(params);
        if (route.id().isPresent()) {
            ResourceVersion patient = store.readCurrent("Patient", route.requireId())
                    .orElseThrow(() -> FhirException.notFound("Patient/" + route.requireId() + " is not known"));
            if (patient.deleted()) {
                throw FhirException.gone("Patient/" + route.requireId() + " was deleted");
            }
        }
        EverythingRecords.Key key = new EverythingRecords.Key(route.id().orElse(null), cursor.asOfT(),
                String.join(",", types), since.map(Instant::toString).orElse(null), start.orElse(null),
                end.orElse(null));
        EverythingRecords.Ids record = records.get(key, () -> record(route, cursor.asOfT(), types, since, start, end));
        int from = Math.min(cursor.offset(), record.refs().size());
        int to = Math.min(from + count, record.refs().size());
        List<ResourceVersion> page = new ArrayList<>();
        List<Boolean> matched = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String[] ref = record.refs().get(i);
            boolean match = i < record.matches();
            store.readAsOf(ref[0], ref[1], cursor.asOfT()).ifPresent(v -> {
                page.add(v);
                matched.add(match);
            });
        }
        return EverythingPage.respond(request, page, matched, record.refs().size(), cursor, count);
    }

    /** The whole record as of a transaction, as ids: the patients' resources, then what they reference. */
    private EverythingRecords.Ids record(Route route, long asOfT, Set<String> types, Optional<Instant> since,
            Optional<String> start, Optional<String> end) {
        List<String> patients = new ArrayList<>();
        if (route.id().isPresent()) {
            patients.add(route.requireId());
        } else {
            store.scanType("Patient", asOfT, v -> patients.add(v.id()));
        }
        Set<String> compartmentTypes = search.compartmentTypes("Patient");
        List<String[]> record = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String patient : patients) {
            collect(patient, compartmentTypes, types, start, end, record, seen);
        }
        List<String[]> out = new ArrayList<>();
        Set<String> wanted = new LinkedHashSet<>();
        for (String[] ref : record) {
            store.readAsOf(ref[0], ref[1], asOfT)
                    .filter(v -> since.isEmpty() || !v.lastUpdated().isBefore(since.get()))
                    .ifPresent(v -> {
                        out.add(ref);
                        referenced(v, seen, compartmentTypes, wanted);
                    });
        }
        int matches = out.size();
        for (String ref : wanted) {
            int slash = ref.indexOf('/');
            if (store.readAsOf(ref.substring(0, slash), ref.substring(slash + 1), asOfT).isPresent()) {
                out.add(new String[] {ref.substring(0, slash), ref.substring(slash + 1)});
            }
        }
        return new EverythingRecords.Ids(List.copyOf(out), matches);
    }

    /** The compartment of one patient, the patient first; type order fixed so that pages are stable. */
    private void collect(String patient, Set<String> compartmentTypes, Set<String> types, Optional<String> start,
            Optional<String> end, List<String[]> out, Set<String> seen) {
        if (types.contains("Patient") && seen.add("Patient/" + patient)) {
            out.add(new String[] {"Patient", patient});
        }
        for (String type : compartmentTypes) {
            if (type.equals("Patient") || !types.contains(type)) {
                continue;
            }
            List<String> ids = (start.isPresent() || end.isPresent()) && hasClinicalDate(type)
                    ? datedIds(patient, type, start, end) : search.compartmentIds("Patient", patient, type);
            for (String id : ids) {
                if (seen.add(type + "/" + id)) {
                    out.add(new String[] {type, id});
                }
            }
        }
    }

    private boolean hasClinicalDate(String type) {
        return search.registry().find(type, "date").isPresent();
    }

    private List<String> datedIds(String patient, String type, Optional<String> start, Optional<String> end) {
        List<String> dates = new ArrayList<>();
        start.ifPresent(s -> dates.add("ge" + s));
        end.ifPresent(e -> dates.add("le" + e));
        Set<String> inCompartment = new LinkedHashSet<>(search.compartmentIds("Patient", patient, type));
        List<String> matching = search.matchIds(type, java.util.Map.of("date", dates), Integer.MAX_VALUE);
        return matching.stream().filter(inCompartment::contains).sorted().toList();
    }

    /**
     * The references of one resource of the record to resources that are not themselves patient data (those stay in
     * their own compartment), read from its stored JSON.
     */
    private static void referenced(ResourceVersion v, Set<String> seen, Set<String> compartmentTypes,
            Set<String> wanted) {
        StoredReferences.each(v.json(), ref -> {
            if (!ref.matches("[A-Za-z]+/[A-Za-z0-9\\-.]{1,64}")) {
                return;
            }
            String type = ref.substring(0, ref.indexOf('/'));
            if (!compartmentTypes.contains(type) && Fhir.isResourceType(type) && !seen.contains(ref)) {
                wanted.add(ref);
            }
        });
    }

    private static Set<String> types(Params params) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : params.values("_type")) {
            for (String type : value.split(",")) {
                String t = type.trim();
                if (!Fhir.isResourceType(t)) {
                    throw FhirException.invalid("_type names '" + t + "', which is not a FHIR R4 resource type");
                }
                types.add(t);
            }
        }
        return types.isEmpty() ? Fhir.resourceTypes() : types;
    }

    private static String check(String name, String value) {
        DateRanges.parse(name, value);
        return value;
    }

    private static int count(Params params) {
        return params.first("_count").map(v -> {
            try {
                int n = Integer.parseInt(v.trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                return Math.min(n, MAX_COUNT);
            } catch (NumberFormatException e) {
                throw FhirException.invalid("_count must be a positive whole number, got '" + v + "'");
            }
        }).orElse(DEFAULT_COUNT);
    }
}
