package dev.fhirbolt.validation;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.context.IWorkerContext;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the core specification's invariants (FHIRPath constraints such as {@code pat-1} or {@code obs-6}) for
 * {@link BaseChecks}, with HAPI's FHIRPath engine on the HAPI model of the resource being written. Each expression is
 * parsed once per thread (the engine and its parsed trees are not shared between threads) and evaluated only where
 * its element is present. The engine gets a worker context that knows no definitions: base only compiles
 * expressions that need none ({@link #evaluable}), so nothing loads the core definitions.
 */
final class Invariants {

    private static final Logger LOG = LoggerFactory.getLogger(Invariants.class);

    /** One invariant of one element, as compiled into base-checks.tsv. */
    record Invariant(int id, String key, String expression, String human, InvariantShortcuts shortcuts) {
    }

    /** Functions and variables that need definitions, other resources or terminology, which base does not have. */
    private static final List<String> NEEDS_MORE = List.of("resolve()", "conformsTo(", "memberOf(", "htmlChecks",
            "%ucum", "%us-zip", "%vs-", "%ext-", "extension(", "checkModifiers(", "hasTemplateIdOf(");

    private static final Invariants INSTANCE = new Invariants();

    private final List<Invariant> all = new ArrayList<>();
    private final Map<String, Boolean> failedOnce = new ConcurrentHashMap<>();
    private final AtomicLong failures = new AtomicLong();
    private final ThreadLocal<Parsed> perThread = ThreadLocal.withInitial(Parsed::new);

    private Invariants() {
    }

    static Invariants get() {
        return INSTANCE;
    }

    /** Whether base can evaluate an expression without definitions, terminology or other resources. */
    static boolean evaluable(String expression) {
        if (expression == null || expression.isBlank()) {
            return false;
        }
        for (String s : NEEDS_MORE) {
            if (expression.contains(s)) {
                return false;
            }
        }
        return true;
    }

    synchronized Invariant add(String key, String expression, String human) {
        Invariant invariant = new Invariant(all.size(), key, expression, human,
                InvariantShortcuts.of(key, expression));
        all.add(invariant);
        return invariant;
    }

    /**
     * Whether the invariant holds on a value, within a resource ({@code %resource}) and the resource that contains it
     * ({@code %rootResource}; the same unless the value is inside a contained resource). An expression the engine cannot evaluate (it throws) counts as holding:
     * base refuses only what it can show is wrong; the full validator reports the rest.
     */
    boolean holds(Invariant invariant, Resource resource, Resource root, Base value) {
        if (shortcutHolds(invariant, value)) {
            return true;
        }
        Parsed parsed = perThread.get();
        try {
            return parsed.engine.evaluateToBoolean(null, resource, root, value, parsed.node(invariant));
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            if (failedOnce.putIfAbsent(invariant.key(), Boolean.TRUE) == null) {
                LOG.warn("invariant {} could not be evaluated ({}); base skips it where it fails", invariant.key(),
                        e.toString());
            }
            return true;
        }
    }

    /** A shortcut that cannot read the value (a term naming no child of it) leaves the decision to the engine. */
    private static boolean shortcutHolds(Invariant invariant, Base value) {
        try {
            return invariant.shortcuts().triviallyHolds(value);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** How many evaluations threw since the start (tests assert there are none on valid data). */
    long failures() {
        return failures.get();
    }

    /** A thread's engine and the trees it parsed, by invariant id. */
    private final class Parsed {
        final FHIRPathEngine engine = engine();
        ExpressionNode[] nodes = new ExpressionNode[0];

        ExpressionNode node(Invariant invariant) {
            if (invariant.id() >= nodes.length) {
                nodes = java.util.Arrays.copyOf(nodes, Math.max(all.size(), invariant.id() + 1));
            }
            ExpressionNode node = nodes[invariant.id()];
            if (node == null) {
                node = engine.parse(invariant.expression());
                nodes[invariant.id()] = node;
            }
            return node;
        }
    }

    /**
     * An engine whose worker context knows no definitions (every type name is taken as known, so that {@code as()} and
     * {@code ofType()} compare it with the value's type) and whose host services know nothing either (lists empty,
     * everything else absent); {@code trace()} logs nowhere (the engine would otherwise keep the text forever).
     */
    private static FHIRPathEngine engine() {
        FHIRPathEngine engine = new FHIRPathEngine(nothing(IWorkerContext.class));
        engine.setHostServices(nothing(IHostApplicationServices.class));
        return engine;
    }

    private static <T> T nothing(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(Invariants.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    Class<?> returns = method.getReturnType();
                    if (method.getName().equals("toString")) {
                        return "nothing";
                    }
                    if (method.getName().equals("log")) {
                        return true;
                    }
                    if (method.getName().equals("fetchTypeDefinition")) {
                        // a type name in as(), is(), ofType(): known; the engine then compares it with fhirType()
                        return new StructureDefinition().setName((String) args[0]).setType((String) args[0]);
                    }
                    if (method.getName().equals("formatMessage")) {
                        return String.valueOf(args[0]);
                    }
                    if (List.class.isAssignableFrom(returns)) {
                        return new ArrayList<>();
                    }
                    if (returns == boolean.class) {
                        return false;
                    }
                    if (returns == int.class) {
                        return 0;
                    }
                    return null;
                }));
    }
}
