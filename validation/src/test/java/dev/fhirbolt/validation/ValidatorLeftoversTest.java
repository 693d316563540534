package dev.fhirbolt.validation;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fhirbolt.fhir.FhirFormat;
import java.lang.reflect.Field;
import java.util.Collection;
import java.util.List;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.junit.jupiter.api.Test;

class ValidatorLeftoversTest {

    @Test
    void theCodingObserverIsFoundInThisHapiVersion() {
        assertTrue(ValidatorLeftovers.clearable(), "HAPI moved the coding observer's list: see ValidatorLeftovers");
    }

    @Test
    void aPooledValidatorKeepsNothingOfTheResourcesItValidated() throws Exception {
        HapiValidator validator = new HapiValidator(ConformanceSource.NONE);
        String json = "{\"resourceType\":\"Patient\",\"maritalStatus\":{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/v3-MaritalStatus\",\"code\":\"M\"}]},"
                + "\"communication\":[{\"language\":{\"coding\":[{\"system\":\"urn:ietf:bcp:47\",\"code\":\"en-US\"}]}}]}";
        for (int i = 0; i < 3; i++) {
            assertFalse(validator.validate(json, FhirFormat.JSON, List.of()).rejects());
        }
        List<InstanceValidator> pooled = validator.pooled();
        assertFalse(pooled.isEmpty());
        for (InstanceValidator v : pooled) {
            assertTrue(observed(v).isEmpty(), "the coding observer still holds " + observed(v).size() + " codings");
        }
    }

    private static Collection<?> observed(InstanceValidator v) throws ReflectiveOperationException {
        Field f = InstanceValidator.class.getDeclaredField("codingObserver");
        f.setAccessible(true);
        Object observer = f.get(v);
        Field list = observer.getClass().getDeclaredField("list");
        list.setAccessible(true);
        return (Collection<?>) list.get(observer);
    }
}
