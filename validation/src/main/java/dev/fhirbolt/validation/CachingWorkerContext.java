package dev.fhirbolt.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.i18n.Msg;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r5.model.Resource;
import org.hl7.fhir.r5.model.StructureDefinition;

/**
 * HAPI's worker context over the support chain, remembering what {@link #fetchResource(Class, String)} found (or did
 * not find) by type and URL. The validator asks for the same few definitions (the resource's, each data type's)
 * several times per element; each ask goes through the type lookup, the chain's cache and the canonical conversion,
 * about a tenth of the time of validating a Synthea Patient. {@link #forget()} drops what is remembered when
 * stored profiles change.
 *
 * <p>Two more of HAPI's per-element costs are answered here: a failed {@link #fetchResourceWithException} (the
 * validator asks whether every coding's system is a ValueSet, and HAPI answers "no" with an exception whose message
 * is formatted and whose stack, hundreds of frames deep, is filled in) throws an exception with the same message,
 * made only when read, and no stack; and {@link #firstStructureDefinition(String)} finds a definition by URL in a map
 * instead of the element-model parser's walk over every definition ({@link DefinitionLookupJsonParser}).
 */
final class CachingWorkerContext extends WorkerContextValidationSupportAdapter {

    private static final int MAX_ENTRIES = 20_000;

    private final Map<Class<?>, Map<String, Optional<Resource>>> found = new ConcurrentHashMap<>();
    private final Map<String, Optional<StructureDefinition>> types = new ConcurrentHashMap<>();
    private volatile UrlIndex urlIndex;

    CachingWorkerContext(IValidationSupport support) {
        super(support);
    }

    @Override
    public <T extends Resource> T fetchResource(Class<T> type, String url) {
        if (type == null || url == null) {
            return super.fetchResource(type, url);
        }
        Map<String, Optional<Resource>> ofType = found.computeIfAbsent(type, t -> new ConcurrentHashMap<>());
        Optional<Resource> cached = ofType.get(url);
        if (cached == null) {
            cached = Optional.ofNullable(super.fetchResource(type, url));
            if (ofType.size() >= MAX_ENTRIES) {
                ofType.clear();
            }
            ofType.put(url, cached);
        }
        return cached.filter(type::isInstance).map(type::cast).orElse(null);
    }

    /** As HAPI's (the core definition of the type by its URL), without building the URL on every ask. */
    @Override
    public StructureDefinition fetchTypeDefinition(String typeName) {
        if (typeName == null) {
            return super.fetchTypeDefinition(null);
        }
        Optional<StructureDefinition> cached = types.get(typeName);
        if (cached == null) {
            cached = Optional.ofNullable(super.fetchTypeDefinition(typeName));
            if (types.size() >= MAX_ENTRIES) {
                types.clear();
            }
            types.put(typeName, cached);
        }
        return cached.orElse(null);
    }

    /** As HAPI's: the resource, or a {@link FHIRException} saying it cannot be found (same message, no stack). */
    @Override
    public <T extends Resource> T fetchResourceWithException(Class<T> type, String url) throws FHIRException {
        T resource = fetchResource(type, url);
        if (resource == null) {
            throw new NotFound(type.getSimpleName(), url);
        }
        return resource;
    }

    /**
     * The first StructureDefinition with this URL in {@code fetchResourcesByType(StructureDefinition.class)}'s order,
     * or null: what a walk over that list comparing URLs finds, from a map kept per list.
     */
    StructureDefinition firstStructureDefinition(String url) {
        List<StructureDefinition> all = fetchResourcesByType(StructureDefinition.class);
        UrlIndex index = urlIndex;
        if (index == null || index.list != all) {
            index = new UrlIndex(all);
            urlIndex = index;
        }
        return index.byUrl.get(url);
    }

    void forget() {
        found.clear();
        types.clear();
        urlIndex = null;
    }

    private static final class UrlIndex {
        final List<StructureDefinition> list;
        final Map<String, StructureDefinition> byUrl = new HashMap<>();

        UrlIndex(List<StructureDefinition> list) {
            this.list = list;
            for (StructureDefinition sd : list) {
                if (sd.getUrl() != null) {
                    byUrl.putIfAbsent(sd.getUrl(), sd);
                }
            }
        }
    }

    /** HAPI's "cannot find" exception, without the cost nobody reads: the message is made when asked, no stack. */
    private static final class NotFound extends FHIRException {
        private static final long serialVersionUID = 1L;
        private final String type;
        private final String url;

        NotFound(String type, String url) {
            this.type = type;
            this.url = url;
        }

        @Override
        public String getMessage() {
            return Msg.code(667) + "Can not find resource of type " + type + " with uri " + url;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
