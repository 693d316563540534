package dev.fhirbolt.rest.operation;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.Issue;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Operation;
import dev.fhirbolt.rest.OperationOutcomes;
import dev.fhirbolt.rest.RequestBodies;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.Route;
import dev.fhirbolt.validation.ResourceValidator;
import dev.fhirbolt.validation.ValidationReport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

/**
 * {@code $validate} at type and instance level: {@code POST [type]/$validate} and {@code POST [type]/[id]/$validate}
 * with the resource as the body or as the {@code resource} part of a Parameters body; {@code mode} (create, update,
 * delete) and {@code profile} in the query or the Parameters. Answers 200 with an OperationOutcome of the
 * validator's issues (one information issue when there are none). A resource sent as the body itself is validated as
 * the text it is, so issues carry its line and column.
 */
public final class ValidateOperation implements Operation {

    private final ResourceValidator validator;
    private final ResourceStore store;
    private final DeleteCheck deleteCheck;

    /** What a delete of an existing resource would be refused for (referential integrity); empty when allowed. */
    @FunctionalInterface
    public interface DeleteCheck {
        List<Issue> check(String type, String id);
    }

    public ValidateOperation(ResourceValidator validator, ResourceStore store, DeleteCheck deleteCheck) {
        this.validator = validator;
        this.store = store;
        this.deleteCheck = deleteCheck;
    }

    @Override
    public String name() {
        return "validate";
    }

    @Override
    public Set<String> types() {
        return Set.of();
    }

    @Override
    public Set<Level> levels() {
        return Set.of(Level.TYPE, Level.INSTANCE);
    }

    @Override
    public String definition() {
        return "http://hl7.org/fhir/OperationDefinition/Resource-validate";
    }

    @Override
    public FhirResponse handle(FhirRequest request, Route route) {
        if (!"POST".equals(request.method())) {
            throw new FhirException(405, dev.fhirbolt.common.IssueType.NOT_SUPPORTED,
                    "$validate takes the resource in a POST body");
        }
        String type = route.requireType();
        Parameters wrapper = wrapper(request, type);
        String mode = parameter(request, wrapper, "mode").map(m -> m.toLowerCase(Locale.ROOT)).orElse("create");
        List<String> profiles = new ArrayList<>(request.params().values("profile"));
        if (wrapper != null) {
            wrapper.getParameter().stream().filter(p -> p.getName().equals("profile") && p.hasValue())
                    .forEach(p -> profiles.add(p.getValue().primitiveValue()));
        }
        return switch (mode) {
            case "delete" -> answer(delete(type, route));
            case "create", "update" -> answer(resource(request, route, type, mode, wrapper, profiles));
            default -> throw FhirException.invalid("mode must be create, update or delete, got '" + mode + "'");
        };
    }

    private List<Issue> delete(String type, Route route) {
        String id = route.id().orElseThrow(() -> FhirException.invalid(
                "mode=delete needs the instance: POST [type]/[id]/$validate?mode=delete"));
        if (store.readCurrent(type, id).filter(v -> !v.deleted()).isEmpty()) {
            throw FhirException.notFound(type + "/" + id + " does not exist");
        }
        return deleteCheck.check(type, id);
    }

    private List<Issue> resource(FhirRequest request, Route route, String type, String mode, Parameters wrapper,
            List<String> profiles) {
        if ("update".equals(mode) && route.id().isEmpty()) {
            throw FhirException.invalid("mode=update needs the instance: POST [type]/[id]/$validate?mode=update");
        }
        List<Issue> issues = new ArrayList<>();
        ValidationReport report;
        Resource model;
        if (wrapper != null) {
            model = wrapper.getParameter().stream().filter(p -> p.getName().equals("resource") && p.getResource() != null)
                    .map(p -> (Resource) p.getResource()).findFirst().orElseThrow(() -> FhirException.invalid(
                            "the Parameters body has no 'resource' part to validate"));
            report = validator.validate(model, profiles);
        } else if (request.hasBody()) {
            String text = new String(request.body(), StandardCharsets.UTF_8);
            report = validator.validate(text, RequestBodies.format(request), profiles);
            model = null;
        } else {
            throw FhirException.invalid("$validate needs the resource as the body or a Parameters 'resource' part");
        }
        issues.addAll(report.outcomeIssues());
        String bodyType = model != null ? model.fhirType() : declaredType(request).orElse(type);
        if (!bodyType.equals(type)) {
            issues.add(error("invalid", "the resource is a " + bodyType + " but the URL names " + type));
        }
        if ("update".equals(mode)) {
            String bodyId = model != null ? model.getIdElement().getIdPart() : idOf(request).orElse(null);
            if (bodyId == null || !bodyId.equals(route.requireId())) {
                issues.add(error("invalid", "for an update the resource's id must be " + route.requireId()
                        + ", it is " + (bodyId == null ? "missing" : bodyId)));
            }
        }
        return issues;
    }

    private static Issue error(String code, String message) {
        return new Issue("error", code, message, Optional.empty(), 0, 0);
    }

    private static FhirResponse answer(List<Issue> issues) {
        if (issues.isEmpty()) {
            return FhirResponse.of(200, new ResponseBody.Model(OperationOutcomes.information(
                    "no issues found: the resource is valid")));
        }
        return FhirResponse.of(200, new ResponseBody.Model(OperationOutcomes.of(issues)));
    }

    /** The Parameters body, when the resource comes wrapped (and the URL does not validate a Parameters). */
    private static Parameters wrapper(FhirRequest request, String type) {
        if (!request.hasBody() || "Parameters".equals(type)
                || !declaredType(request).map("Parameters"::equals).orElse(false)) {
            return null;
        }
        return (Parameters) ResourceReader.read(request.body(), RequestBodies.format(request));
    }

    private static Optional<String> parameter(FhirRequest request, Parameters wrapper, String name) {
        Optional<String> query = request.params().first(name);
        if (query.isPresent() || wrapper == null) {
            return query;
        }
        return wrapper.getParameter().stream().filter(p -> p.getName().equals(name) && p.hasValue())
                .map(p -> p.getValue().primitiveValue()).findFirst();
    }

    private static Optional<String> declaredType(FhirRequest request) {
        return BodyPeek.resourceType(request.body(), RequestBodies.format(request));
    }

    private static Optional<String> idOf(FhirRequest request) {
        return BodyPeek.id(request.body(), RequestBodies.format(request));
    }

}
