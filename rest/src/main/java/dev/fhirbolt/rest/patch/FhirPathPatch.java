package dev.fhirbolt.rest.patch;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.search.param.FhirPaths;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIRPath Patch (http://hl7.org/fhir/R4/fhirpatch.html): a Parameters resource of operations add, insert, delete,
 * replace and move, whose paths the server's FHIRPath engine ({@link FhirPaths}) evaluates against the resource.
 */
public final class FhirPathPatch implements PatchDocument {

    public static final String MEDIA_TYPE = "application/fhir+json";

    enum Kind {
        ADD, INSERT, DELETE, REPLACE, MOVE
    }

    /** One operation with what its type needs. */
    record Op(int index, Kind kind, String path, String name, ParametersParameterComponent value, Integer at,
            Integer source, Integer destination) {
    }

    private final List<Op> ops;

    private FhirPathPatch(List<Op> ops) {
        this.ops = ops;
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    /** Checks the Parameters for well-formed operations (400 otherwise). */
    public static FhirPathPatch of(Parameters parameters) {
        List<Op> ops = new ArrayList<>();
        int i = 0;
        for (ParametersParameterComponent p : parameters.getParameter()) {
            if (!"operation".equals(p.getName())) {
                throw FhirException.invalid("FHIRPath Patch parameter " + i + " is named '" + p.getName()
                        + "'; every parameter must be an 'operation'");
            }
            String type = partString(p, "type", i);
            if (type == null) {
                throw bad(i, "has no 'type' part (add, insert, delete, replace or move)");
            }
            Kind kind;
            try {
                kind = Kind.valueOf(type.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(i, "has unknown type '" + type + "'; use add, insert, delete, replace or move");
            }
            String path = partString(p, "path", i);
            if (path == null || path.isBlank()) {
                throw bad(i, "(" + type + ") has no 'path'");
            }
            String name = partString(p, "name", i);
            ParametersParameterComponent value = part(p, "value");
            Integer index = partInt(p, "index", i);
            Integer source = partInt(p, "source", i);
            Integer destination = partInt(p, "destination", i);
            switch (kind) {
                case ADD -> {
                    require(name != null, i, "(add) needs a 'name'");
                    require(value != null, i, "(add) needs a 'value'");
                }
                case INSERT -> {
                    require(value != null, i, "(insert) needs a 'value'");
                    require(index != null, i, "(insert) needs an 'index'");
                }
                case REPLACE -> require(value != null, i, "(replace) needs a 'value'");
                case MOVE -> require(source != null && destination != null, i,
                        "(move) needs 'source' and 'destination'");
                case DELETE -> {
                }
            }
            ops.add(new Op(i, kind, path, name, value, index, source, destination));
            i++;
        }
        if (ops.isEmpty()) {
            throw FhirException.invalid("the FHIRPath Patch Parameters hold no operation");
        }
        return new FhirPathPatch(ops);
    }

    private static void require(boolean condition, int i, String message) {
        if (!condition) {
            throw bad(i, message);
        }
    }

    private static ParametersParameterComponent part(ParametersParameterComponent p, String name) {
        for (ParametersParameterComponent part : p.getPart()) {
            if (name.equals(part.getName())) {
                return part;
            }
        }
        return null;
    }

    private static String partString(ParametersParameterComponent p, String name, int i) {
        ParametersParameterComponent part = part(p, name);
        if (part == null) {
            return null;
        }
        if (part.getValue() == null || !part.getValue().isPrimitive()) {
            throw bad(i, "has a '" + name + "' part without a simple value");
        }
        return part.getValue().primitiveValue();
    }

    private static Integer partInt(ParametersParameterComponent p, String name, int i) {
        String s = partString(p, name, i);
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw bad(i, "has '" + name + "' = '" + s + "', not an integer");
        }
    }

    private static FhirException bad(int i, String message) {
        return FhirException.invalid("FHIRPath Patch operation " + i + " " + message);
    }

    @Override
    public Resource apply(ResourceVersion current) {
        Resource resource = ResourceReader.readStored(current.json());
        for (Op op : ops) {
            applyOne(resource, op);
        }
        // re-encode and strictly re-parse: whatever the operations did must be a valid resource
        byte[] json = Fhir.context().newJsonParser().encodeResourceToString(resource)
                .getBytes(StandardCharsets.UTF_8);
        Resource patched = PatchResults.validate(json, current);
        return patched;
    }

    private void applyOne(Resource resource, Op op) {
        List<Base> found = evaluate(resource, op);
        switch (op.kind()) {
            case ADD -> {
                Base target = single(found, op, "the element to add to");
                Property property = property(target, op.name(), op);
                Base value = value(target, property.getName(), op);
                List<Base> values = new ArrayList<>(property.getValues());
                if (!property.isList() && !values.isEmpty()) {
                    throw cannotApply(op, "'" + op.name() + "' already has a value and repeats at most once;"
                            + " use replace");
                }
                values.add(value);
                setValues(target, property.getName(), property.getValues(), values, op);
            }
            case INSERT, MOVE -> {
                Located list = locateList(resource, found, op);
                List<Base> values = new ArrayList<>(list.values());
                if (op.kind() == Kind.INSERT) {
                    if (op.at() < 0 || op.at() > values.size()) {
                        throw cannotApply(op, "index " + op.at() + " is outside 0.." + values.size());
                    }
                    values.add(op.at(), value(list.parent(), list.name(), op));
                } else {
                    if (op.source() < 0 || op.source() >= values.size() || op.destination() < 0
                            || op.destination() >= values.size()) {
                        throw cannotApply(op, "source " + op.source() + " or destination " + op.destination()
                                + " is outside 0.." + (values.size() - 1));
                    }
                    values.add(op.destination(), values.remove((int) op.source()));
                }
                setValues(list.parent(), list.name(), list.values(), values, op);
            }
            case DELETE -> {
                if (found.isEmpty()) {
                    return; // deleting what is not there changes nothing
                }
                Base element = single(found, op, "the element to delete");
                Located at = parentOf(resource, element, op);
                List<Base> values = new ArrayList<>(at.values());
                values.removeIf(v -> v == element);
                setValues(at.parent(), at.name(), at.values(), values, op);
            }
            case REPLACE -> {
                Base element = single(found, op, "the element to replace");
                Located at = parentOf(resource, element, op);
                Base value = value(at.parent(), at.name(), op);
                List<Base> values = new ArrayList<>(at.values());
                for (int i = 0; i < values.size(); i++) {
                    if (values.get(i) == element) {
                        values.set(i, value);
                    }
                }
                setValues(at.parent(), at.name(), at.values(), values, op);
            }
        }
    }

    private static List<Base> evaluate(Resource resource, Op op) {
        try {
            return FhirPaths.evaluate(resource, FhirPaths.parse(op.path()));
        } catch (RuntimeException e) {
            Throwable reason = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
            throw new FhirException(400, IssueType.INVALID, "FHIRPath Patch operation " + op.index() + ": the path '"
                    + op.path() + "' is not a valid FHIRPath expression: "
                    + String.valueOf(reason.getMessage()).replaceAll("HAPI-\\d+: ", ""), null, e);
        }
    }

    private static Base single(List<Base> found, Op op, String what) {
        if (found.size() != 1) {
            throw cannotApply(op, "the path '" + op.path() + "' must select exactly one element (" + what
                    + ") but selected " + found.size());
        }
        return found.get(0);
    }

    /** Where an element sits: its parent, the property's name and the property's current values. */
    private record Located(Base parent, String name, List<Base> values) {
    }

    private static Located parentOf(Resource resource, Base element, Op op) {
        Map<Base, Located> parents = new IdentityHashMap<>();
        index(resource, parents);
        Located at = parents.get(element);
        if (at == null) {
            throw cannotApply(op, "the path '" + op.path() + "' selects no element of the resource that can be"
                    + " changed (e.g. the resource itself or a computed value)");
        }
        return at;
    }

    private static Located locateList(Resource resource, List<Base> found, Op op) {
        if (!found.isEmpty()) {
            Located first = parentOf(resource, found.get(0), op);
            for (Base b : found) {
                Located other = parentOf(resource, b, op);
                if (other.parent() != first.parent() || !other.name().equals(first.name())) {
                    throw cannotApply(op, "the path '" + op.path() + "' must select one list");
                }
            }
            return first;
        }
        // an empty list: find its owner from the path's last segment
        int dot = op.path().lastIndexOf('.');
        String last = dot < 0 ? null : op.path().substring(dot + 1);
        if (last == null || !last.matches("[A-Za-z][A-Za-z0-9]*")) {
            throw cannotApply(op, "the path '" + op.path() + "' selects nothing");
        }
        List<Base> owners = evaluate(resource, new Op(op.index(), op.kind(), op.path().substring(0, dot), null,
                null, null, null, null));
        Base owner = single(owners, op, "the owner of the list");
        Property property = property(owner, last, op);
        return new Located(owner, property.getName(), property.getValues());
    }

    private static void index(Base element, Map<Base, Located> parents) {
        if (element.isPrimitive()) {
            return;
        }
        for (Property property : element.children()) {
            if (!property.hasValues()) {
                continue;
            }
            List<Base> values = new ArrayList<>(property.getValues());
            for (Base value : values) {
                if (value != null) {
                    parents.put(value, new Located(element, property.getName(), values));
                    index(value, parents);
                }
            }
        }
    }

    private static Property property(Base target, String name, Op op) {
        Property property;
        try {
            property = target.getNamedProperty(name);
        } catch (RuntimeException e) {
            property = null;
        }
        if (property == null) {
            throw cannotApply(op, "a " + target.fhirType() + " has no element '" + name + "'");
        }
        return property;
    }

    /** The operation's value: a datatype, a resource, or parts making up a complex element of {@code name}. */
    private static Base value(Base parent, String name, Op op) {
        ParametersParameterComponent v = op.value();
        if (v.getValue() != null) {
            return v.getValue().copy();
        }
        if (v.getResource() != null) {
            return v.getResource().copy();
        }
        if (!v.hasPart()) {
            throw cannotApply(op, "the 'value' part is empty");
        }
        Base scratchParent;
        try {
            scratchParent = parent.getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw cannotApply(op, "cannot build a value for " + parent.fhirType() + "." + name);
        }
        Base built = make(scratchParent, name, op);
        fill(built, v.getPart(), op);
        return built;
    }

    private static Base make(Base parent, String name, Op op) {
        String plain = name.endsWith("[x]") ? name.substring(0, name.length() - 3) : name;
        try {
            return parent.makeProperty(plain.hashCode(), plain);
        } catch (RuntimeException e) {
            throw cannotApply(op, "cannot create a " + parent.fhirType() + "." + plain + " from parts: "
                    + e.getMessage());
        }
    }

    private static void fill(Base element, List<ParametersParameterComponent> parts, Op op) {
        for (ParametersParameterComponent part : parts) {
            String name = part.getName();
            try {
                if (part.getValue() != null) {
                    element.setProperty(name, part.getValue().copy());
                } else if (part.getResource() != null) {
                    element.setProperty(name, part.getResource().copy());
                } else if (part.hasPart()) {
                    fill(make(element, name, op), part.getPart(), op);
                }
            } catch (FhirException e) {
                throw e;
            } catch (RuntimeException e) {
                throw cannotApply(op, "'" + name + "' is not a valid element of " + element.fhirType());
            }
        }
    }

    private static void setValues(Base parent, String name, List<Base> old, List<Base> values, Op op) {
        try {
            for (Base v : old) {
                parent.removeChild(name, v);
            }
            for (Base v : values) {
                parent.setProperty(name, v);
            }
        } catch (RuntimeException e) {
            throw cannotApply(op, "cannot set " + parent.fhirType() + "." + name + ": "
                    + String.valueOf(e.getMessage()));
        }
    }

    private static FhirException cannotApply(Op op, String message) {
        return new FhirException(422, IssueType.PROCESSING, "FHIRPath Patch operation " + op.index() + " ("
                + op.kind().name().toLowerCase(java.util.Locale.ROOT) + "): " + message);
    }
}
