package dev.fhirbolt.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.fhir.FhirFormat;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.conformance.profile.ProfileUtilities;
import org.hl7.fhir.r5.elementmodel.JsonParser;
import org.hl7.fhir.r5.elementmodel.Manager;
import org.hl7.fhir.r5.elementmodel.ParserBase;
import org.hl7.fhir.r5.elementmodel.ValidatedFragment;
import org.hl7.fhir.r5.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r5.model.StructureDefinition;
import org.hl7.fhir.r5.utils.validation.constants.IdStatus;
import org.hl7.fhir.r5.utils.xver.XVerExtensionManagerOld;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;

/**
 * HAPI's instance validator (structure, cardinality, invariants, bindings, profiles) over the R4 core definitions and
 * the server's own profiles.
 *
 * <p>What costs is built once, on first use: the support chain (loading the core definitions takes seconds; it
 * caches what it fetches and expands) and the worker context over it. HAPI's {@code FhirInstanceValidator} also
 * builds a new {@link InstanceValidator} for every resource, which reads a table of OIDs each time (tens of
 * milliseconds); here validators are kept in a small pool and each is used for {@value #USES} resources before it is
 * replaced. What a validator keeps of each resource it validated is dropped after each use ({@link ValidatorLeftovers});
 * were that not possible, a validator is replaced after {@value #USES_IF_LEAKING} uses, bounding what it keeps.
 */
public final class HapiValidator implements ResourceValidator {

    private static final int USES = 10_000;
    private static final int USES_IF_LEAKING = 20;

    private final ConformanceSource profiles;
    private final ValueSetMembership membership;
    private final BlockingQueue<Pooled> pool = new ArrayBlockingQueue<>(Math.max(2,
            Runtime.getRuntime().availableProcessors()));
    private volatile CachingWorkerContext worker;
    private volatile ValidationSupportChain chain;

    public HapiValidator(ConformanceSource profiles) {
        this(profiles, ValueSetMembership.NONE);
    }

    /** With a terminology service that answers value-set membership before the validator's own expansions. */
    public HapiValidator(ConformanceSource profiles, ValueSetMembership membership) {
        this.profiles = profiles;
        this.membership = membership;
    }

    @Override
    public ValidationReport validate(String text, FhirFormat format, List<String> profileUrls) {
        CachingWorkerContext context = worker();
        List<ValidationIssue> issues = new ArrayList<>();
        List<StructureDefinition> definitions = new ArrayList<>();
        for (String url : profileUrls) {
            StructureDefinition sd = context.fetchResource(StructureDefinition.class, url);
            if (sd == null) {
                issues.add(new ValidationIssue(Severity.ERROR, "not-found", "profile " + url
                        + " is unknown to this server", Optional.empty(), 0, 0));
            } else {
                definitions.add(sd);
            }
        }
        List<ValidationMessage> messages = new ArrayList<>();
        Pooled pooled = borrow(context);
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (format == FhirFormat.XML || !validateJson(pooled, context, bytes, definitions, messages)) {
                pooled.validator.validate(null, messages, new ByteArrayInputStream(bytes),
                        format == FhirFormat.XML ? Manager.FhirFormat.XML : Manager.FhirFormat.JSON, definitions);
            }
        } catch (FHIRException e) {
            issues.add(new ValidationIssue(Severity.FATAL, "structure", e.getMessage(), Optional.empty(), 0, 0));
        } finally {
            giveBack(pooled);
        }
        for (ValidationMessage m : messages) {
            issues.add(issue(m));
        }
        return new ValidationReport(issues);
    }

    /**
     * What HAPI's {@code InstanceValidator.validate(.., InputStream, ..)} does for JSON, with a parser over the pooled
     * validator's own profile utilities: HAPI makes a new parser per resource, and each new parser builds its
     * profile utilities and two FHIRPath engines (a few per cent of a Patient's validation). Answers false, having
     * done nothing, where HAPI's own path does more (logical models, a profile implied by the content).
     */
    private static boolean validateJson(Pooled pooled, CachingWorkerContext context, byte[] json,
            List<StructureDefinition> definitions, List<ValidationMessage> messages) {
        if (definitions.stream().anyMatch(d -> d.getKind() == StructureDefinition.StructureDefinitionKind.LOGICAL)) {
            return false;
        }
        JsonParser parser = new DefinitionLookupJsonParser(context, pooled.profileUtilities(context));
        parser.setupValidation(ParserBase.ValidationPolicy.EVERYTHING);
        parser.setAllowComments(false);
        List<ValidatedFragment> fragments;
        try {
            fragments = parser.parse(new ByteArrayInputStream(json));
        } catch (java.io.IOException e) {
            throw new FHIRException(e);
        }
        if (parser.getImpliedProfile() != null) {
            return false;
        }
        for (ValidatedFragment f : fragments) {
            if (f.getElement() != null) {
                pooled.validator.validate(null, f.getErrors(), fragments.size() > 1 ? f.path() : null,
                        f.getElement(), definitions);
            }
            messages.addAll(f.getErrors());
        }
        return true;
    }

    @Override
    public ValidationReport validate(Resource resource, List<String> profileUrls) {
        String json = Fhir.context().newJsonParser().encodeResourceToString(resource);
        ValidationReport report = validate(json, FhirFormat.JSON, profileUrls);
        List<ValidationIssue> withoutPlaces = new ArrayList<>();
        for (ValidationIssue i : report.issues()) {
            withoutPlaces.add(new ValidationIssue(i.severity(), i.code(), i.message(), i.expression(), 0, 0));
        }
        return new ValidationReport(withoutPlaces);
    }

    /** Profiles were added or changed: forget what the chain cached of them. */
    public void profilesChanged() {
        ValidationSupportChain c = chain;
        if (c != null) {
            c.invalidateCaches();
        }
        CachingWorkerContext w = worker;
        if (w != null) {
            w.forget();
        }
    }

    /** Loads the definitions now rather than at the first validation. */
    public void warmUp() {
        validate("{\"resourceType\":\"Basic\",\"code\":{\"text\":\"warm-up\"}}", FhirFormat.JSON, List.of());
    }

    /** The validators waiting in the pool (for tests). */
    List<InstanceValidator> pooled() {
        return pool.stream().map(p -> p.validator).toList();
    }

    private Pooled borrow(IWorkerContext context) {
        Pooled pooled = pool.poll();
        return pooled != null ? pooled : new Pooled(newValidator(context));
    }

    private void giveBack(Pooled pooled) {
        int limit = ValidatorLeftovers.clear(pooled.validator) ? USES : USES_IF_LEAKING;
        if (++pooled.uses < limit) {
            pool.offer(pooled);
        }
    }

    private CachingWorkerContext worker() {
        CachingWorkerContext w = worker;
        if (w == null) {
            synchronized (this) {
                w = worker;
                if (w == null) {
                    w = buildWorker();
                    worker = w;
                }
            }
        }
        return w;
    }

    private CachingWorkerContext buildWorker() {
        FhirContext context = Fhir.context();
        UnknownCodeSystemWarningValidationSupport unknownSystems = new UnknownCodeSystemWarningValidationSupport(
                context);
        unknownSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        ValidationSupportChain built = new ValidationSupportChain(
                new DefaultProfileValidationSupport(context),
                new ProfileSupport(context, profiles),
                new CommonCodeSystemsTerminologyService(context),
                new MembershipSupport(context, membership),
                new InMemoryTerminologyServerValidationSupport(context),
                new SnapshotGeneratingValidationSupport(context),
                unknownSystems);
        chain = built;
        return new CachingWorkerContext(built);
    }

    private static InstanceValidator newValidator(IWorkerContext context) {
        InstanceValidator v = new InstanceValidator(context, new FhirInstanceValidator.NullEvaluationContext(),
                new XVerExtensionManagerOld(context), new ValidatorSession(), new ValidatorSettings());
        v.setAnyExtensionsAllowed(true);
        v.setResourceIdRule(IdStatus.OPTIONAL);
        v.setErrorForUnknownProfiles(true);
        v.setUnknownCodeSystemsCauseErrors(false);
        v.setNoExtensibleWarnings(false);
        v.setAllowXsiLocation(true);
        return v;
    }

    private static ValidationIssue issue(ValidationMessage m) {
        return new ValidationIssue(severity(m.getLevel()), m.getType() == null ? "processing" : m.getType().toCode(),
                m.getMessage(), Optional.ofNullable(m.getLocation()), Math.max(0, m.getLine()),
                Math.max(0, m.getCol()));
    }

    private static Severity severity(ValidationMessage.IssueSeverity level) {
        if (level == null) {
            return Severity.INFORMATION;
        }
        return switch (level) {
            case FATAL -> Severity.FATAL;
            case ERROR -> Severity.ERROR;
            case WARNING -> Severity.WARNING;
            default -> Severity.INFORMATION;
        };
    }

    private static final class Pooled {
        final InstanceValidator validator;
        int uses;
        private ProfileUtilities profileUtilities;

        Pooled(InstanceValidator validator) {
            this.validator = validator;
        }

        /** Made once per pooled validator (a ProfileUtilities holds a FHIRPath engine; one thread uses it at a time). */
        ProfileUtilities profileUtilities(IWorkerContext context) {
            if (profileUtilities == null) {
                profileUtilities = new ProfileUtilities(context, null, null, new FHIRPathEngine(context));
            }
            return profileUtilities;
        }
    }
}
