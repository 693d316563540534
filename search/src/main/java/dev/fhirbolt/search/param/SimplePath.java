package dev.fhirbolt.search.param;

import dev.fhirbolt.fhir.Fhir;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Evaluates the simple FHIRPath forms most search parameters use by walking the HAPI model directly, giving the same
 * elements in the same order as HAPI's FHIRPath engine:
 *
 * <ul>
 *   <li>navigation: {@code Observation.code.coding}, relative {@code value}, a root of {@code Resource} or
 *       {@code DomainResource};</li>
 *   <li>unions of such branches: {@code a | b}, without repeating equal items;</li>
 *   <li>type filters: {@code (Observation.value as Quantity)}, also on many items
 *       ({@code Observation.component.value as Quantity}), {@code Condition.onset.as(Age)}, also followed by more
 *       navigation;</li>
 *   <li>{@code .where(resolve() is Patient)} on References and {@code .where(system='phone')} on a primitive
 *       child.</li>
 * </ul>
 *
 * <p>Anything else does not compile ({@link #compile} answers null), and an input the fast path is not sure about
 * (a contained "#ref" to resolve, more than one item for {@code .as()}, a subtype that the engine's type hierarchy would
 * decide) makes {@link #evaluate} answer null: the caller then asks the engine. {@code FastPathEquivalenceTest} checks
 * every R4 parameter against the engine on Synthea data.
 */
public final class SimplePath {

    private static final Object NONE = new Object();
    private static final Map<String, Object> CACHE = new ConcurrentHashMap<>();

    /** Complex and primitive types that derive from another type than Element/BackboneElement (R4). */
    private static final Map<String, String> PARENT_TYPE = Map.ofEntries(
            Map.entry("Age", "Quantity"), Map.entry("Count", "Quantity"), Map.entry("Distance", "Quantity"),
            Map.entry("Duration", "Quantity"), Map.entry("MoneyQuantity", "Quantity"),
            Map.entry("SimpleQuantity", "Quantity"), Map.entry("code", "string"), Map.entry("id", "string"),
            Map.entry("markdown", "string"), Map.entry("url", "uri"), Map.entry("canonical", "uri"),
            Map.entry("oid", "uri"), Map.entry("uuid", "uri"), Map.entry("positiveInt", "integer"),
            Map.entry("unsignedInt", "integer"));
    /** Names the type filters do not decide themselves: abstract types and namespaced names. */
    private static final Set<String> ABSTRACT_TYPES = Set.of("Element", "BackboneElement", "DataType", "Type",
            "PrimitiveType", "Resource", "DomainResource", "Base", "BackboneType");

    private final List<Step[]> branches;

    private SimplePath(List<Step[]> branches) {
        this.branches = branches;
    }

    /** The compiled path, cached by expression; null when the expression is beyond the fast path. */
    public static SimplePath of(String expression) {
        Object compiled = CACHE.get(expression);
        if (compiled == null) {
            SimplePath path = compile(expression);
            compiled = path == null ? NONE : path;
            CACHE.putIfAbsent(expression, compiled);
        }
        return compiled == NONE ? null : (SimplePath) compiled;
    }

    /** Compiles an expression; null when it uses anything the fast path does not handle. */
    public static SimplePath compile(String expression) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        try {
            List<Step[]> branches = new ArrayList<>();
            for (String branch : PathSplitter.branches(expression)) {
                Parser parser = new Parser(branch);
                List<Step> steps = new ArrayList<>();
                parser.branch(steps, true);
                if (!parser.atEnd()) {
                    return null;
                }
                branches.add(steps.toArray(Step[]::new));
            }
            return branches.isEmpty() ? null : new SimplePath(List.copyOf(branches));
        } catch (Unsupported e) {
            return null;
        }
    }

    /** The selected elements, or null when this input needs the FHIRPath engine. */
    public List<Base> evaluate(Base input) {
        List<Base> out = null;
        for (Step[] branch : branches) {
            List<Base> focus = List.of(input);
            for (Step step : branch) {
                if (focus.isEmpty()) {
                    break;
                }
                focus = step.apply(focus);
                if (focus == null) {
                    return null;
                }
            }
            if (branches.size() == 1) {
                return focus;
            }
            if (out == null) {
                out = new ArrayList<>(focus.size() + 4);
            }
            for (Base item : focus) {
                Boolean known = contains(out, item);
                if (known == null) {
                    return null;
                }
                if (!known) {
                    out.add(item);
                }
            }
        }
        return out;
    }

    /**
     * A union keeps one of equal items, with the engine's notion of equal: primitives by value, complex elements deeply.
     * Quantities are compared by the engine's own rules ({@link EngineQuantityEquality}); dates and decimals have
     * their own equality there (precision): null, ask the engine.
     */
    private static Boolean contains(List<Base> items, Base item) {
        for (Base other : items) {
            if (other == item) {
                return true;
            }
            if (other.isDateTime() && item.isDateTime() || other instanceof DecimalType
                    || item instanceof DecimalType) {
                return null;
            }
            boolean equal;
            if (other instanceof Quantity a && item instanceof Quantity b) {
                equal = Boolean.TRUE.equals(EngineQuantityEquality.equal(a, b));
            } else if (other.isPrimitive() && item.isPrimitive()) {
                String a = other.primitiveValue();
                String b = item.primitiveValue();
                if (a == null || b == null) {
                    return null;
                }
                equal = a.equals(b);
            } else {
                equal = Base.compareDeep(other, item, false);
            }
            if (equal) {
                return true;
            }
        }
        return false;
    }

    // ---- steps

    private sealed interface Step permits Root, Child, AsOperator, AsFunction, WhereResolveIs, WhereEquals {
        /** The next focus, or null to fall back to the engine. */
        List<Base> apply(List<Base> focus);
    }

    /** The first name of a path when it is a type: the input itself when it is of that type. */
    private record Root(String type) implements Step {
        @Override
        public List<Base> apply(List<Base> focus) {
            if (focus.size() != 1 || !(focus.get(0) instanceof Resource resource)) {
                return null;
            }
            boolean matches = switch (type) {
                case "Resource" -> true;
                case "DomainResource" -> resource instanceof DomainResource;
                default -> type.equals(resource.fhirType());
            };
            return matches ? focus : null;
        }
    }

    /** A child by name (the engine's listChildrenByName, ids without type and version). */
    private record Child(String name) implements Step {
        @Override
        public List<Base> apply(List<Base> focus) {
            List<Base> out = new ArrayList<>();
            int hash = name.hashCode();
            for (Base item : focus) {
                Base[] children = item.getProperty(hash, name, false);
                if (children == null) {
                    continue;
                }
                for (Base child : children) {
                    if (child != null) {
                        out.add(child instanceof IIdType id
                                ? (Base) id.toUnqualifiedVersionless().withResourceType(null) : child);
                    }
                }
            }
            return out;
        }
    }

    /**
     * {@code x as T}: the items whose type name is T, ignoring case (the engine's compareTypeNames with the singleton
     * and case rules off, as {@link FhirPaths} sets them), so {@code Observation.component.value as Quantity} keeps
     * the Quantities of every component.
     */
    private record AsOperator(String type) implements Step {
        @Override
        public List<Base> apply(List<Base> focus) {
            if (focus.size() == 1) {
                return type.equalsIgnoreCase(focus.get(0).fhirType()) ? focus : List.of();
            }
            List<Base> out = new ArrayList<>(focus.size());
            for (Base item : focus) {
                if (type.equalsIgnoreCase(item.fhirType())) {
                    out.add(item);
                }
            }
            return out;
        }
    }

    /** {@code x.as(T)}: the type or one derived from it, at most one item. */
    private record AsFunction(String type) implements Step {
        @Override
        public List<Base> apply(List<Base> focus) {
            if (focus.size() > 1) {
                return null;
            }
            String actual = focus.get(0).fhirType();
            if (type.equals(actual)) {
                return focus;
            }
            for (String t = PARENT_TYPE.get(actual); t != null; t = PARENT_TYPE.get(t)) {
                if (t.equals(type)) {
                    return null; // derived: let the engine decide with its structure definitions
                }
            }
            return List.of();
        }
    }

    /** {@code where(resolve() is T)} on References: those whose reference names a T. */
    private record WhereResolveIs(String type) implements Step {
        @Override
        public List<Base> apply(List<Base> focus) {
            List<Base> out = new ArrayList<>(focus.size());
            for (Base item : focus) {
                if (!(item instanceof Reference ref)) {
                    return null;
                }
                if (!ref.hasReference()) {
                    continue;
                }
                String reference = ref.getReference();
                if (reference == null || reference.startsWith("#")) {
                    return null; // contained: the engine looks it up in the resource
                }
                IdType id = new IdType(reference);
                if (id.hasResourceType() && type.equals(id.getResourceType())
                        && Fhir.isResourceType(id.getResourceType())) {
                    out.add(item);
                }
            }
            return out;
        }
    }

    /** {@code where(child='literal')} where the child is a single primitive with a value. */
    private record WhereEquals(String child, String literal) implements Step {
        @Override
        public List<Base> apply(List<Base> focus) {
            List<Base> out = new ArrayList<>(focus.size());
            int hash = child.hashCode();
            for (Base item : focus) {
                Base[] values = item.getProperty(hash, child, false);
                int count = 0;
                Base value = null;
                if (values != null) {
                    for (Base v : values) {
                        if (v != null) {
                            count++;
                            value = v;
                        }
                    }
                }
                if (count == 0) {
                    continue;
                }
                if (count > 1 || !value.isPrimitive() || value.primitiveValue() == null) {
                    return null;
                }
                if (literal.equals(value.primitiveValue())) {
                    out.add(item);
                }
            }
            return out;
        }
    }

    // ---- parsing

    private static final class Unsupported extends RuntimeException {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    /** Recursive descent over the subset; anything else throws {@link Unsupported}. */
    private static final class Parser {
        private final String s;
        private int at;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            skipSpaces();
            return at == s.length();
        }

        /** branch := primary ('.' invocation)* ('as' TYPE)? */
        void branch(List<Step> steps, boolean root) {
            primary(steps, root);
            while (peek('.')) {
                at++;
                invocation(steps);
            }
            int mark = at;
            String word = identifierOrNull();
            if ("as".equals(word)) {
                steps.add(new AsOperator(typeName()));
            } else {
                at = mark;
            }
        }

        /** primary := '(' branch ')' | IDENT */
        private void primary(List<Step> steps, boolean root) {
            if (peek('(')) {
                at++;
                branch(steps, root);
                expect(')');
                return;
            }
            String name = identifier();
            if (Character.isUpperCase(name.charAt(0))) {
                if (!root || !steps.isEmpty()) {
                    throw new Unsupported();
                }
                if (!name.equals("Resource") && !name.equals("DomainResource") && !Fhir.isResourceType(name)) {
                    throw new Unsupported();
                }
                steps.add(new Root(name));
            } else {
                steps.add(child(name));
            }
        }

        /** invocation := IDENT | where(resolve() is T) | where(IDENT = 'literal') | as(T) */
        private void invocation(List<Step> steps) {
            String name = identifier();
            if (!peek('(')) {
                steps.add(child(name));
                return;
            }
            at++;
            switch (name) {
                case "as" -> steps.add(new AsFunction(typeName()));
                case "where" -> {
                    int mark = at;
                    String first = identifier();
                    if (first.equals("resolve") && peek('(')) {
                        at++;
                        expect(')');
                        if (!"is".equals(identifier())) {
                            throw new Unsupported();
                        }
                        String type = identifier();
                        if (!Fhir.isResourceType(type)) {
                            throw new Unsupported();
                        }
                        steps.add(new WhereResolveIs(type));
                    } else if (Character.isLowerCase(first.charAt(0)) && !isKeyword(first) && peek('=')) {
                        at++;
                        steps.add(new WhereEquals(first, literal()));
                    } else {
                        at = mark;
                        throw new Unsupported();
                    }
                }
                default -> throw new Unsupported();
            }
            expect(')');
        }

        private static Child child(String name) {
            if (isKeyword(name)) {
                throw new Unsupported();
            }
            return new Child(name);
        }

        private static boolean isKeyword(String name) {
            return switch (name) {
                case "as", "is", "and", "or", "xor", "implies", "not", "in", "contains", "div", "mod", "true",
                        "false", "where", "resolve", "exists", "empty", "first", "last", "extension", "ofType",
                        "select", "memberOf", "children", "descendants", "trace" -> true;
                default -> false;
            };
        }

        private String typeName() {
            String type = identifier();
            if (ABSTRACT_TYPES.contains(type) || peek('.')) {
                throw new Unsupported();
            }
            return type;
        }

        private String literal() {
            skipSpaces();
            if (at >= s.length() || s.charAt(at) != '\'') {
                throw new Unsupported();
            }
            int end = s.indexOf('\'', at + 1);
            if (end < 0) {
                throw new Unsupported();
            }
            String value = s.substring(at + 1, end);
            if (value.indexOf('\\') >= 0) {
                throw new Unsupported();
            }
            at = end + 1;
            return value;
        }

        private String identifier() {
            String id = identifierOrNull();
            if (id == null) {
                throw new Unsupported();
            }
            return id;
        }

        private String identifierOrNull() {
            skipSpaces();
            int start = at;
            while (at < s.length() && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '_')) {
                at++;
            }
            if (start == at || !Character.isLetter(s.charAt(start))) {
                at = start;
                return null;
            }
            return s.substring(start, at);
        }

        private boolean peek(char c) {
            skipSpaces();
            return at < s.length() && s.charAt(at) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new Unsupported();
            }
            at++;
        }

        private void skipSpaces() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
        }
    }
}
