package dev.fhirbolt.app;

import dev.fhirbolt.auth.EncounterChoice;
import dev.fhirbolt.auth.PatientChoice;
import dev.fhirbolt.auth.PatientDirectory;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SearchRequest;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;

/** The auth server's patient and encounter pickers, answered by the search engine. */
final class SearchPatientDirectory implements PatientDirectory {

    private final SearchEngine search;
    private final ResourceStore store;

    SearchPatientDirectory(SearchEngine search, ResourceStore store) {
        this.search = search;
        this.store = store;
    }

    @Override
    public List<PatientChoice> findPatients(String nameQuery, int limit) {
        String q = nameQuery == null ? "" : nameQuery.trim();
        var params = q.isEmpty() ? SearchRequest.params("_count", Integer.toString(limit), "_sort", "family")
                : SearchRequest.params("name", q, "_count", Integer.toString(limit), "_sort", "family");
        List<PatientChoice> out = new ArrayList<>();
        for (ResourceVersion v : search.search(SearchRequest.ofType("Patient", params)).matches()) {
            Patient p = (Patient) ResourceReader.readStored(v.json());
            out.add(new PatientChoice(v.id(), name(p.getName(), v.id()),
                    p.hasBirthDateElement() ? p.getBirthDateElement().getValueAsString() : null,
                    p.hasGender() ? p.getGender().toCode() : null));
        }
        return out;
    }

    private static String name(List<HumanName> names, String fallback) {
        for (HumanName n : names) {
            String text = n.hasText() ? n.getText()
                    : (n.getGiven().stream().map(g -> g.getValue()).collect(Collectors.joining(" ")) + " "
                            + (n.hasFamily() ? n.getFamily() : "")).trim();
            if (!text.isBlank()) {
                return text;
            }
        }
        return fallback;
    }

    @Override
    public List<EncounterChoice> encountersOf(String patientId, int limit) {
        var params = SearchRequest.params("patient", "Patient/" + patientId, "_sort", "-date", "_count",
                Integer.toString(limit));
        List<EncounterChoice> out = new ArrayList<>();
        for (ResourceVersion v : search.search(SearchRequest.ofType("Encounter", params)).matches()) {
            Encounter e = (Encounter) ResourceReader.readStored(v.json());
            StringBuilder d = new StringBuilder();
            if (e.hasPeriod() && e.getPeriod().hasStart()) {
                d.append(new SimpleDateFormat("yyyy-MM-dd").format(e.getPeriod().getStart())).append(' ');
            }
            if (e.hasType() && e.getTypeFirstRep().hasText()) {
                d.append(e.getTypeFirstRep().getText());
            } else if (e.hasType() && e.getTypeFirstRep().hasCoding()) {
                d.append(e.getTypeFirstRep().getCodingFirstRep().getDisplay());
            } else if (e.hasClass_()) {
                d.append(e.getClass_().hasDisplay() ? e.getClass_().getDisplay() : e.getClass_().getCode());
            }
            String text = d.toString().trim();
            out.add(new EncounterChoice(v.id(), text.isEmpty() ? "Encounter " + v.id() : text));
        }
        return out;
    }

    @Override
    public java.util.Optional<String> patientName(String patientId) {
        return store.readCurrent("Patient", patientId).filter(v -> !v.deleted())
                .map(v -> name(((Patient) ResourceReader.readStored(v.json())).getName(), ""))
                .filter(n -> !n.isBlank());
    }

    @Override
    public boolean exists(String reference) {
        int slash = reference == null ? -1 : reference.indexOf('/');
        if (slash <= 0) {
            return false;
        }
        return store.readCurrent(reference.substring(0, slash), reference.substring(slash + 1))
                .filter(v -> !v.deleted()).isPresent();
    }
}
