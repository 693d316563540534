package dev.fhirbolt.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keeps base64-elements.txt equal to what a walk of every type of HAPI's R4 model finds. After a HAPI upgrade,
 * regenerate it with {@code ./mvnw -o verify -pl fhir -am -Dtest=Base64ElementsTableTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dfhirbolt.regenerate=true}.
 */
class Base64ElementsTableTest {

    private static final Path FILE = Path.of("src/main/resources/dev/fhirbolt/fhir", Base64Elements.RESOURCE);

    @Test
    void listMatchesTheModel() throws IOException {
        String expected = String.join("\n", new TreeSet<>(names(Fhir.context()))) + "\n";
        if (Boolean.getBoolean("fhirbolt.regenerate") || !Files.exists(FILE)) {
            Files.writeString(FILE, expected, StandardCharsets.UTF_8);
        }
        assertEquals(expected, Files.readString(FILE, StandardCharsets.UTF_8));
    }

    private static Set<String> names(FhirContext context) {
        Set<String> names = new HashSet<>();
        Set<BaseRuntimeElementDefinition<?>> seen = new HashSet<>();
        // extensions are not children in HAPI's definitions; what they can hold is the Extension type's
        collect(context.getElementDefinition("Extension"), names, seen);
        for (String type : context.getResourceTypes()) {
            collect(context.getResourceDefinition(type), names, seen);
        }
        return Set.copyOf(names);
    }

    private static void collect(BaseRuntimeElementDefinition<?> definition, Set<String> names,
            Set<BaseRuntimeElementDefinition<?>> seen) {
        if (!(definition instanceof BaseRuntimeElementCompositeDefinition<?> composite) || !seen.add(definition)) {
            return;
        }
        for (BaseRuntimeChildDefinition child : composite.getChildren()) {
            if (child.getElementName().endsWith("xtension")) {
                continue; // extension and modifierExtension: the Extension type, collected on its own
            }
            for (String name : child.getValidChildNames()) {
                BaseRuntimeElementDefinition<?> type = child.getChildByName(name);
                if (type == null) {
                    continue;
                }
                if ("base64Binary".equals(type.getName())) {
                    names.add(name);
                }
                collect(type, names, seen);
            }
        }
    }
}
