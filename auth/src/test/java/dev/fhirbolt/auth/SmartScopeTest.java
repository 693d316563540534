package dev.fhirbolt.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.auth.SmartScope.Context;
import dev.fhirbolt.auth.SmartScope.Kind;
import dev.fhirbolt.auth.SmartScope.Permission;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmartScopeTest {

    private static SmartScope p(String s) {
        return SmartScope.parse(s).orElseThrow(() -> new AssertionError("did not parse " + s));
    }

    @Test
    void v1ScopesMapToV2Permissions() {
        SmartScope read = p("patient/Observation.read");
        assertEquals(Kind.RESOURCE, read.kind());
        assertEquals(Context.PATIENT, read.context());
        assertEquals("Observation", read.resourceType());
        assertTrue(read.isV1());
        assertEquals(EnumSet.of(Permission.READ, Permission.SEARCH), read.permissions());
        assertEquals(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE),
                p("user/Observation.write").permissions());
        assertEquals(EnumSet.allOf(Permission.class), p("system/*.*").permissions());
        assertTrue(p("system/*.*").isWildcardType());
    }

    @Test
    void v2PermissionsMustBeAnOrderedSubsetOfCruds() {
        assertEquals("cruds", p("patient/Observation.cruds").permissionLetters());
        assertEquals("rs", p("patient/Observation.rs").permissionLetters());
        assertEquals("cd", p("user/Patient.cd").permissionLetters());
        assertFalse(p("user/Patient.rs").isV1());
    }

    @ParameterizedTest
    @ValueSource(strings = {"patient/Observation.sr", "patient/Observation.rr", "patient/Observation.x",
            "patient/Observation.", "patient/observation.rs", "clinic/Observation.rs", "patient/Observation",
            "patient/Observation.read?code=1", "patient/Observation.rs?", "patient/Observation.rs?=x",
            "launch/other", "openId", "", "patient/*.r*", "user/Obs-ervation.rs"})
    void rejectsMalformedScopes(String s) {
        assertTrue(SmartScope.parse(s).isEmpty(), s);
    }

    @Test
    void granularScopesKeepTheirParameters() {
        SmartScope s = p("patient/Observation.rs?category=http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fobservation-category%7Claboratory");
        assertEquals(1, s.parameters().size());
        assertEquals("category", s.parameters().get(0).name());
        assertEquals("http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
                s.parameters().get(0).value());
        assertEquals(2, p("patient/Observation.rs?category=a&code=b").parameters().size());
    }

    @Test
    void nonResourceScopes() {
        assertEquals(Kind.LAUNCH, p("launch").kind());
        assertEquals(Kind.LAUNCH_PATIENT, p("launch/patient").kind());
        assertEquals(Kind.LAUNCH_ENCOUNTER, p("launch/encounter").kind());
        assertEquals(Kind.OPENID, p("openid").kind());
        assertEquals(Kind.FHIR_USER, p("fhirUser").kind());
        assertEquals(Kind.PROFILE, p("profile").kind());
        assertEquals(Kind.OFFLINE_ACCESS, p("offline_access").kind());
        assertEquals(Kind.ONLINE_ACCESS, p("online_access").kind());
        assertFalse(p("openid").isResourceScope());
    }

    @Test
    void subsetRules() {
        assertTrue(p("patient/Observation.rs").isWithin(p("patient/*.cruds")));
        assertTrue(p("patient/Observation.read").isWithin(p("patient/Observation.rs")));
        assertTrue(p("patient/Observation.rs?category=lab").isWithin(p("patient/Observation.rs")));
        assertFalse(p("patient/Observation.rs").isWithin(p("patient/Observation.rs?category=lab")));
        assertFalse(p("patient/Observation.rs").isWithin(p("user/*.cruds")));
        assertFalse(p("patient/Observation.cruds").isWithin(p("patient/Observation.rs")));
        assertFalse(p("patient/*.rs").isWithin(p("patient/Observation.rs")));
        assertTrue(p("launch").isWithin(p("launch")));
        assertFalse(p("launch").isWithin(p("launch/patient")));
        assertTrue(SmartScope.coveredBy(p("user/Patient.r"), List.of(p("openid"), p("user/*.rs"))));
    }

    @Test
    void appliesToTypes() {
        assertTrue(p("patient/*.rs").appliesTo("Condition"));
        assertTrue(p("patient/Condition.rs").appliesTo("Condition"));
        assertFalse(p("patient/Condition.rs").appliesTo("Observation"));
        assertFalse(p("openid").appliesTo("Observation"));
        assertTrue(p("patient/*.rs").permits(Permission.SEARCH));
        assertFalse(p("patient/*.rs").permits(Permission.UPDATE));
    }

    @Test
    void parseAllDropsUnknownAndDuplicates() {
        List<SmartScope> all = SmartScope.parseAll("  openid  bogus patient/*.rs openid launch/patient ");
        assertEquals(List.of("openid", "patient/*.rs", "launch/patient"), all.stream().map(SmartScope::raw).toList());
        assertEquals(List.of("bogus"), SmartScope.unknownTokens("openid bogus"));
        assertEquals("openid patient/*.rs launch/patient", SmartScope.join(all));
        assertTrue(SmartScope.parseAll(null).isEmpty());
    }

    @Test
    void plainWords() {
        assertEquals("Read and search Observation records of the selected patient",
                p("patient/Observation.rs").describe());
        assertEquals("Create, read, update, delete and search all kinds of records that you are allowed to see",
                p("user/*.cruds").describe());
        assertTrue(p("patient/Observation.rs?category=lab").describe().contains("category = lab"));
        assertEquals("patient/Condition.rs", p("patient/*.rs").withResourceType("Condition").raw());
    }
}
