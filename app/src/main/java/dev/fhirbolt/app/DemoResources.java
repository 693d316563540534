package dev.fhirbolt.app;

import dev.fhirbolt.database.Commit;
import dev.fhirbolt.database.Expectation;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.Write;
import dev.fhirbolt.database.WriteMethod;
import dev.fhirbolt.rest.Writes;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Resource;

/** The FHIR resources behind the demo users, created at start-up when absent so pickers and compartments work. */
final class DemoResources {

    private DemoResources() {
    }

    static int ensure(ResourceStore store, Writes writes, List<String> patientIds, String practitionerId) {
        List<Write> list = new ArrayList<>();
        String[][] names = {{"Amy", "Demo"}, {"Bob", "Demo"}};
        String[] birth = {"1987-02-20", "1964-11-03"};
        Enumerations.AdministrativeGender[] genders = {Enumerations.AdministrativeGender.FEMALE,
                Enumerations.AdministrativeGender.MALE};
        for (int i = 0; i < patientIds.size() && i < 2; i++) {
            Patient p = new Patient();
            p.setId(patientIds.get(i));
            p.addName().setFamily(names[i][1]).addGiven(names[i][0]);
            p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birth[i]));
            p.setGender(genders[i]);
            p.setActive(true);
            add(store, writes, list, p);
        }
        Practitioner dr = new Practitioner();
        dr.setId(practitionerId);
        dr.addName().setFamily("Practitioner").addGiven("Demo").addPrefix("Dr.");
        dr.setActive(true);
        add(store, writes, list, dr);
        if (!list.isEmpty()) {
            store.commit(new Commit(list));
        }
        return list.size();
    }

    private static void add(ResourceStore store, Writes writes, List<Write> list, Resource r) {
        String type = r.fhirType();
        String id = r.getIdElement().getIdPart();
        if (store.readCurrent(type, id).isEmpty()) {
            list.add(writes.write(WriteMethod.CREATE, type, id, r, Expectation.ABSENT));
        }
    }
}
