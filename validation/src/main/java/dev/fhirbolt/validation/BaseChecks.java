package dev.fhirbolt.validation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;

/**
 * The cheap checks of the core specification, run on the HAPI model of every write: required elements (such as
 * {@code Observation.status}), maximum counts, and required bindings to short value sets from the core code systems.
 * Structure, primitive formats and enumerated codes are already enforced by the strict parser. Invariants of severity
 * error are evaluated where their element is present (HAPI's FHIRPath engine, {@link Invariants}), except those that
 * need definitions, terminology or other resources; those, bindings to large or external value sets and profiles are
 * left to the full validator ({@link HapiValidator}).
 *
 * <p>The checks come from {@value #RESOURCE}, compiled from the core StructureDefinitions (BaseCheckCompiler in the
 * tests, which keeps the file equal to them). Each line is one of, tab-separated:
 * <pre>
 * R  table  element  min                 the element must occur at least min times
 * M  table  element  max                 at most max times
 * B  table  element  kind  valueSet  codes   code/Coding/CodeableConcept bound (required) to these codes
 *                                          (system|code for codings, space-separated)
 * D  table  element  target              descend: the element's values are checked with table target
 *                                          ({@code *}: the table of the value's own type)
 * I  table  element  key  expression  human   the invariant (FHIRPath) must hold on each present value of the element
 *                                          (element empty: on the table's node itself); see {@link Invariants}
 * </pre>
 * A table is a type ({@code Observation}, {@code Narrative}) or a backbone element's path
 * ({@code Observation.component}). Only children that lead to some check are listed, so a resource is walked where
 * there is something to check and nowhere else.
 */
public final class BaseChecks {

    static final String RESOURCE = "base-checks.tsv";

    private static final BaseChecks CORE = load();

    private final Map<String, CheckTable> tables;

    private BaseChecks(Map<String, CheckTable> tables) {
        this.tables = tables;
    }

    /** The checks of the R4 core specification (loaded once per process). */
    public static BaseChecks core() {
        return CORE;
    }

    public ValidationReport check(Resource resource) {
        List<ValidationIssue> issues = new ArrayList<>(0);
        walk(resource, resource, resource, resource.fhirType(), new ElementPath(null, resource.fhirType(), -1), issues);
        return issues.isEmpty() ? ValidationReport.VALID : new ValidationReport(issues);
    }

    private void walk(Base node, Resource resource, Resource root, String tableName, ElementPath path,
            List<ValidationIssue> issues) {
        CheckTable table = tables.get(tableName);
        if (table == null) {
            return;
        }
        table.checkOwn(node, resource, root, path, issues);
        for (CheckTable.Child child : table.children) {
            Base[] values = child.element().values(node);
            for (int i = 0; i < values.length; i++) {
                Base value = values[i];
                if (value == null || value.isPrimitive()) {
                    continue;
                }
                String target = child.byValueType() ? value.fhirType() : child.target();
                if (tables.containsKey(target)) {
                    walk(value, value instanceof Resource contained ? contained : resource, root, target,
                            new ElementPath(path, child.element().name(), values.length > 1 ? i : -1), issues);
                }
            }
        }
    }

    private static BaseChecks load() {
        Map<String, CheckTable> tables = new HashMap<>();
        try (InputStream in = BaseChecks.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                tables.computeIfAbsent(c[1], CheckTable::new).add(c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BaseChecks(Map.copyOf(tables));
    }
}
