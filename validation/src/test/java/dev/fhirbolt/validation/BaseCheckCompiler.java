package dev.fhirbolt.validation;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementCompositeDefinition;
import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeChildPrimitiveEnumerationDatatypeDefinition;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * Compiles the cheap checks of the R4 core StructureDefinitions into the lines of base-checks.tsv (format in
 * {@link BaseChecks}): required elements, maximum counts other than 1 and *, required bindings whose value set is a
 * short list from the core code systems (unless HAPI's model already holds the element as an enumeration, which its
 * parser checks), and which children lead to more checks.
 */
final class BaseCheckCompiler {

    private static final int MAX_CODES = 2000;

    private final FhirContext context = FhirContext.forR4();
    private final DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(context);
    private final Map<String, List<String>> checks = new TreeMap<>();
    private final Map<String, List<String[]>> children = new TreeMap<>();
    private final Set<String> resources = new TreeSet<>();

    private BaseCheckCompiler() {
    }

    static String compile() {
        return new BaseCheckCompiler().run();
    }

    private String run() {
        for (IBaseResource r : core.fetchAllStructureDefinitions()) {
            StructureDefinition sd = (StructureDefinition) r;
            if (sd.getDerivation() != StructureDefinition.TypeDerivationRule.SPECIALIZATION || sd.getAbstract()
                    || sd.getKind() == StructureDefinition.StructureDefinitionKind.PRIMITIVETYPE
                    || sd.getKind() == StructureDefinition.StructureDefinitionKind.LOGICAL) {
                continue;
            }
            if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE) {
                resources.add(sd.getType());
            }
            for (ElementDefinition e : sd.getSnapshot().getElement()) {
                element(e);
            }
        }
        Set<String> relevant = relevant();
        StringBuilder out = new StringBuilder("# Base checks compiled from the R4 core StructureDefinitions by"
                + " BaseCheckCompiler (BaseCheckTableTest). Format: see BaseChecks.\n");
        for (String table : new TreeSet<>(relevant)) {
            for (String line : checks.getOrDefault(table, List.of())) {
                out.append(line).append('\n');
            }
            for (String[] child : children.getOrDefault(table, List.of())) {
                if (child[2].equals("*") ? anyRelevant(child[3], relevant) : relevant.contains(child[2])) {
                    out.append(String.join("\t", "D", table, child[1], child[2])).append('\n');
                }
            }
        }
        return out.toString();
    }

    private void element(ElementDefinition e) {
        String path = e.getPath();
        int dot = path.lastIndexOf('.');
        if (dot < 0) {
            invariants(e, path, "");
            return;
        }
        String table = path.substring(0, dot);
        String name = path.substring(dot + 1).replace("[x]", "");
        if (name.equals("extension") || name.equals("modifierExtension")) {
            return;
        }
        List<String> lines = checks.computeIfAbsent(table, k -> new ArrayList<>());
        invariants(e, table, name);
        if (e.getMin() > 0) {
            lines.add(String.join("\t", "R", table, name, Integer.toString(e.getMin())));
        }
        if (!e.getMax().equals("1") && !e.getMax().equals("*")) {
            lines.add(String.join("\t", "M", table, name, e.getMax()));
        }
        Set<String> types = new LinkedHashSet<>();
        e.getType().forEach(t -> types.add(t.getCode()));
        if (e.hasBinding() && e.getBinding().getStrength() == Enumerations.BindingStrength.REQUIRED
                && types.size() == 1 && !enumeration(table, name)) {
            String kind = types.iterator().next();
            if (kind.equals("code") || kind.equals("Coding") || kind.equals("CodeableConcept")) {
                Set<String> codes = expand(e.getBinding().getValueSet(), kind.equals("code"));
                if (codes != null) {
                    lines.add(String.join("\t", "B", table, name, kind, e.getBinding().getValueSet(),
                            String.join(" ", codes)));
                }
            }
        }
        List<String[]> mine = children.computeIfAbsent(table, k -> new ArrayList<>());
        if (e.hasContentReference()) {
            mine.add(new String[] {"", name, e.getContentReference().substring(e.getContentReference().indexOf('#')
                    + 1), ""});
        } else if (types.contains("BackboneElement") || types.contains("Element")) {
            mine.add(new String[] {"", name, path, ""});
        } else {
            List<String> complex = new ArrayList<>();
            for (String t : types) {
                if (!t.isEmpty() && Character.isUpperCase(t.charAt(0))) {
                    complex.add(t);
                }
            }
            if (complex.size() == 1 && !complex.get(0).equals("Resource")) {
                mine.add(new String[] {"", name, complex.get(0), ""});
            } else if (!complex.isEmpty()) {
                mine.add(new String[] {"", name, "*", String.join(",", complex)});
            }
        }
    }

    /**
     * The element's invariants of severity error that base can evaluate on the HAPI model alone: not ele-1 (every
     * element; the parser drops empty elements) nor ext-1 (extensions are not walked), nor those that need other
     * resources or terminology ({@link Invariants#evaluable}).
     */
    private void invariants(ElementDefinition e, String table, String name) {
        for (ElementDefinition.ElementDefinitionConstraintComponent c : e.getConstraint()) {
            if (c.getSeverity() != ElementDefinition.ConstraintSeverity.ERROR || SKIPPED.contains(c.getKey())
                    || !Invariants.evaluable(c.getExpression())) {
                continue;
            }
            String line = String.join("\t", "I", table, name, c.getKey(), clean(c.getExpression()),
                    clean(c.getHuman()));
            List<String> lines = checks.computeIfAbsent(table, k -> new ArrayList<>());
            if (!lines.contains(line)) {
                lines.add(line);
            }
        }
    }

    private static final Set<String> SKIPPED = Set.of("ele-1", "ext-1");

    private static String clean(String text) {
        return text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ').trim();
    }

    /** Tables with checks of their own or a child that leads to one. */
    private Set<String> relevant() {
        Set<String> relevant = new LinkedHashSet<>();
        checks.forEach((table, lines) -> {
            if (!lines.isEmpty()) {
                relevant.add(table);
            }
        });
        relevant.addAll(resources);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (var entry : children.entrySet()) {
                if (relevant.contains(entry.getKey())) {
                    continue;
                }
                for (String[] child : entry.getValue()) {
                    if (child[2].equals("*") ? anyRelevant(child[3], relevant) : relevant.contains(child[2])) {
                        relevant.add(entry.getKey());
                        grew = true;
                        break;
                    }
                }
            }
        }
        return relevant;
    }

    private boolean anyRelevant(String types, Set<String> relevant) {
        for (String t : types.split(",")) {
            if (t.equals("Resource") || relevant.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** Whether HAPI's model holds the element as an enumeration (its parser then refuses unknown codes). */
    private boolean enumeration(String table, String name) {
        try {
            String[] parts = table.split("\\.");
            BaseRuntimeElementDefinition<?> def = context.getElementDefinition(parts[0]);
            if (def == null) {
                def = context.getResourceDefinition(parts[0]);
            }
            for (int i = 1; i < parts.length; i++) {
                BaseRuntimeChildDefinition child = ((BaseRuntimeElementCompositeDefinition<?>) def)
                        .getChildByName(parts[i]);
                def = child.getChildByName(parts[i]);
            }
            BaseRuntimeChildDefinition child = ((BaseRuntimeElementCompositeDefinition<?>) def).getChildByName(name);
            return child instanceof RuntimeChildPrimitiveEnumerationDatatypeDefinition;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The codes of a value set when it is a short, complete list from core code systems; null otherwise. */
    private Set<String> expand(String valueSetUrl, boolean bareCodes) {
        if (valueSetUrl == null) {
            return null;
        }
        ValueSet vs = (ValueSet) core.fetchValueSet(valueSetUrl.split("\\|")[0]);
        if (vs == null || vs.getCompose().hasExclude() || !vs.getCompose().hasInclude()) {
            return null;
        }
        Set<String> codes = new TreeSet<>();
        for (ValueSet.ConceptSetComponent include : vs.getCompose().getInclude()) {
            if (include.hasValueSet() || include.hasFilter() || !include.hasSystem()) {
                return null;
            }
            String prefix = bareCodes ? "" : include.getSystem() + "|";
            if (include.hasConcept()) {
                include.getConcept().forEach(c -> codes.add(prefix + c.getCode()));
            } else {
                CodeSystem cs = (CodeSystem) core.fetchCodeSystem(include.getSystem());
                if (cs == null || cs.getContent() != CodeSystem.CodeSystemContentMode.COMPLETE) {
                    return null;
                }
                addAll(cs.getConcept(), prefix, codes);
            }
        }
        for (String code : codes) {
            if (code.contains(" ") || code.contains("\t")) {
                return null;
            }
        }
        return codes.isEmpty() || codes.size() > MAX_CODES ? null : codes;
    }

    private static void addAll(List<CodeSystem.ConceptDefinitionComponent> concepts, String prefix,
            Set<String> codes) {
        for (CodeSystem.ConceptDefinitionComponent c : concepts) {
            codes.add(prefix + c.getCode());
            addAll(c.getConcept(), prefix, codes);
        }
    }
}
