package dev.fhirbolt.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumeration;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;

/** The checks of one type or backbone element (one table of base-checks.tsv); see {@link BaseChecks}. */
final class CheckTable {

    record Child(Element element, String target, boolean byValueType) {
    }

    private record Count(Element element, int limit) {
    }

    private record Binding(Element element, String kind, String valueSet, Set<String> codes) {
    }

    /** An invariant of the table's own node (element null) or of each value of one of its elements. */
    private record Constraint(Element element, Invariants.Invariant invariant) {
    }

    /** An element name with its hash, as HAPI's {@code Base.getProperty} wants them. */
    record Element(String name, int hash) {
        Element(String name) {
            this(name, name.hashCode());
        }

        Base[] values(Base node) {
            Base[] values = node.getProperty(hash, name, false);
            return values == null ? new Base[0] : values;
        }
    }

    final List<Child> children = new ArrayList<>();
    private final String name;
    private final List<Count> minimums = new ArrayList<>();
    private final List<Count> maximums = new ArrayList<>();
    private final List<Binding> bindings = new ArrayList<>();
    private final List<Constraint> constraints = new ArrayList<>();

    CheckTable(String name) {
        this.name = name;
    }

    void add(String[] c) {
        Element element = c[2].isEmpty() ? null : new Element(c[2]);
        switch (c[0]) {
            case "R" -> minimums.add(new Count(element, Integer.parseInt(c[3])));
            case "M" -> maximums.add(new Count(element, Integer.parseInt(c[3])));
            case "B" -> bindings.add(new Binding(element, c[3], c[4], Set.of(c[5].split(" "))));
            case "D" -> children.add(new Child(element, c[3], c[3].equals("*")));
            case "I" -> constraints.add(new Constraint(element, Invariants.get().add(c[3], c[4], c[5])));
            default -> throw new IllegalStateException("unknown line kind in base-checks.tsv: " + c[0]);
        }
    }

    void checkOwn(Base node, Resource resource, Resource root, ElementPath path, List<ValidationIssue> issues) {
        for (Count min : minimums) {
            int found = count(min.element.values(node));
            if (found < min.limit) {
                String where = path.child(min.element.name);
                issues.add(ValidationIssue.error("required", where + ": minimum required = " + min.limit
                        + ", but only found " + found, where));
            }
        }
        for (Count max : maximums) {
            int found = count(max.element.values(node));
            if (found > max.limit) {
                String where = path.child(max.element.name);
                issues.add(ValidationIssue.error("structure", where + ": maximum allowed = " + max.limit
                        + ", but found " + found, where));
            }
        }
        for (Binding binding : bindings) {
            Base[] values = binding.element.values(node);
            for (int i = 0; i < values.length; i++) {
                String bad = unbound(binding, values[i]);
                if (bad != null) {
                    String where = path.child(binding.element.name) + (values.length > 1 ? "[" + i + "]" : "");
                    issues.add(ValidationIssue.error("code-invalid", where + ": " + bad
                            + " is not in the required value set " + binding.valueSet, where));
                }
            }
        }
        for (Constraint constraint : constraints) {
            if (constraint.element == null) {
                check(constraint, node, resource, root, path, null, issues);
                continue;
            }
            Base[] values = constraint.element.values(node);
            for (int i = 0; i < values.length; i++) {
                if (present(values[i])) {
                    check(constraint, values[i], resource, root, path, values.length > 1 ? i : -1, issues);
                }
            }
        }
    }

    /** Evaluates one invariant; the issue's path is only built when it fails. */
    private static void check(Constraint constraint, Base value, Resource resource, Resource root, ElementPath path,
            Integer index, List<ValidationIssue> issues) {
        Invariants.Invariant invariant = constraint.invariant;
        if (!Invariants.get().holds(invariant, resource, root, value)) {
            String where = index == null ? path.toString()
                    : path.child(constraint.element.name) + (index >= 0 ? "[" + index + "]" : "");
            issues.add(ValidationIssue.error("invariant", where + ": constraint " + invariant.key() + " failed: "
                    + invariant.human() + " (expression: " + invariant.expression() + ")", where));
        }
    }

    /** The code that is not in the value set, or null when the value is fine or has nothing to check. */
    private static String unbound(Binding binding, Base value) {
        if (value == null || value instanceof Enumeration<?>) {
            return null;
        }
        if (value instanceof PrimitiveType<?> p) {
            String code = p.getValueAsString();
            return code == null || binding.codes.contains(code) ? null : "'" + code + "'";
        }
        if (value instanceof Coding coding) {
            return coding.hasCode() && !binding.codes.contains(coding.getSystem() + "|" + coding.getCode())
                    ? "'" + coding.getSystem() + "|" + coding.getCode() + "'" : null;
        }
        if (value instanceof CodeableConcept concept && concept.hasCoding()) {
            for (Coding coding : concept.getCoding()) {
                if (binding.codes.contains(coding.getSystem() + "|" + coding.getCode())) {
                    return null;
                }
            }
            Coding first = concept.getCodingFirstRep();
            return "no coding (such as '" + first.getSystem() + "|" + first.getCode() + "')";
        }
        return null;
    }

    private static int count(Base[] values) {
        int n = 0;
        for (Base v : values) {
            if (present(v)) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether a value counts as present: a primitive with a value or an extension (read from its fields:
     * {@code PrimitiveType.isEmpty} formats the value to a string, which for dates costs more than all the rest of
     * the checks), a complex value that is not empty.
     */
    static boolean present(Base v) {
        if (v == null) {
            return false;
        }
        if (v instanceof PrimitiveType<?> p) {
            return p.getValue() != null || p.hasExtension();
        }
        return !v.isEmpty();
    }

    @Override
    public String toString() {
        return name;
    }
}
