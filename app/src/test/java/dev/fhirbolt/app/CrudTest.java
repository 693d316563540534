package dev.fhirbolt.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every basic interaction through HAPI's generic client, in JSON and in XML. */
class CrudTest {

    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static IGenericClient client(EncodingEnum encoding) {
        IGenericClient client = server.client();
        client.setEncoding(encoding);
        return client;
    }

    @ParameterizedTest
    @EnumSource(value = EncodingEnum.class, names = {"JSON", "XML"})
    void createReadUpdateVreadDeleteAndHistory(EncodingEnum encoding) {
        IGenericClient client = client(encoding);
        Patient patient = new Patient();
        patient.addName().setFamily("Chalmers").addGiven("Peter");
        patient.setGender(Enumerations.AdministrativeGender.MALE);

        MethodOutcome created = client.create().resource(patient).execute();
        assertTrue(created.getCreated());
        IdType id = (IdType) created.getId();
        assertEquals("1", id.getVersionIdPart());
        assertTrue(id.getIdPart().matches("[0-9a-v]{16}"), id.getIdPart());

        Patient read = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertEquals("Chalmers", read.getNameFirstRep().getFamily());
        assertEquals("1", read.getMeta().getVersionId());
        assertNotNull(read.getMeta().getLastUpdated());

        read.setActive(true);
        MethodOutcome updated = client.update().resource(read).execute();
        assertEquals("2", updated.getId().getVersionIdPart());

        Patient v1 = client.read().resource(Patient.class).withIdAndVersion(id.getIdPart(), "1").execute();
        assertFalse(v1.hasActive());
        Patient v2 = client.read().resource(Patient.class).withId(id.getIdPart()).execute();
        assertTrue(v2.getActive());

        client.delete().resourceById("Patient", id.getIdPart()).execute();
        assertThrows(ResourceGoneException.class,
                () -> client.read().resource(Patient.class).withId(id.getIdPart()).execute());

        Bundle history = client.history().onInstance(new IdType("Patient", id.getIdPart()))
                .returnBundle(Bundle.class).execute();
        assertEquals(3, history.getEntry().size());
        assertEquals(Bundle.HTTPVerb.DELETE, history.getEntry().get(0).getRequest().getMethod());
        assertEquals(Bundle.HTTPVerb.PUT, history.getEntry().get(1).getRequest().getMethod());
        assertEquals(Bundle.HTTPVerb.POST, history.getEntry().get(2).getRequest().getMethod());
        assertFalse(history.getEntry().get(0).hasResource());
    }

    @ParameterizedTest
    @EnumSource(value = EncodingEnum.class, names = {"JSON", "XML"})
    void updateAsCreateWithClientIdAndIfMatch(EncodingEnum encoding) {
        IGenericClient client = client(encoding);
        String id = "obs-" + encoding.name().toLowerCase();
        Observation obs = new Observation();
        obs.setId(id);
        obs.setStatus(Observation.ObservationStatus.FINAL);
        obs.getCode().setText("heart rate");
        MethodOutcome created = client.update().resource(obs).execute();
        assertTrue(created.getCreated());
        assertEquals("1", created.getId().getVersionIdPart());

        obs.setId(new IdType("Observation", id, "1"));
        obs.setEffective(new org.hl7.fhir.r4.model.DateTimeType(new Date()));
        MethodOutcome second = client.update().resource(obs).withId(new IdType("Observation", id))
                .execute();
        assertEquals("2", second.getId().getVersionIdPart());

        Observation stale = new Observation();
        stale.setId(new IdType("Observation", id, "1"));
        stale.setStatus(Observation.ObservationStatus.AMENDED);
        stale.getCode().setText("heart rate");
        assertThrows(PreconditionFailedException.class, () -> client.update().resource(stale)
                .withId(new IdType("Observation", id)).withAdditionalHeader("If-Match", "W/\"1\"").execute());
        assertThrows(ResourceNotFoundException.class,
                () -> client.read().resource(Observation.class).withId("does-not-exist").execute());
    }

    @ParameterizedTest
    @EnumSource(value = EncodingEnum.class, names = {"JSON", "XML"})
    void typeAndSystemHistoryPage(EncodingEnum encoding) {
        IGenericClient client = client(encoding);
        for (int i = 0; i < 5; i++) {
            var device = new org.hl7.fhir.r4.model.Device();
            device.addNote().setText("device " + i + " " + encoding);
            client.create().resource(device).execute();
        }
        Bundle page1 = client.history().onType("Device").returnBundle(Bundle.class).count(2).execute();
        assertEquals(2, page1.getEntry().size());
        assertNotNull(page1.getLink("next"));
        Bundle page2 = client.loadPage().next(page1).execute();
        assertEquals(2, page2.getEntry().size());
        assertFalse(page1.getEntry().get(0).getFullUrl().equals(page2.getEntry().get(0).getFullUrl()));
        Bundle system = client.history().onServer().returnBundle(Bundle.class).count(3).execute();
        assertEquals(3, system.getEntry().size());
    }
}
