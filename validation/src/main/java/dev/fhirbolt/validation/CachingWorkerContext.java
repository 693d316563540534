package dev.fhirbolt.validation;

import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.model.Resource;

/**
 * HAPI's worker context over the support chain, remembering what {@link #fetchResource(Class, String)} found (or did
 * not find) by type and URL. The validator asks for the same few definitions (the resource's, each data type's)
 * several times per element; each ask goes through the type lookup, the chain's cache and the canonical conversion,
 * about a tenth of the time of validating a Synthea Patient. {@link #forget()} drops what is remembered when
 * stored profiles change.
 */
final class CachingWorkerContext extends WorkerContextValidationSupportAdapter {

    private static final int MAX_ENTRIES = 20_000;

    private final Map<String, Optional<Resource>> found = new ConcurrentHashMap<>();

    CachingWorkerContext(IValidationSupport support) {
        super(support);
    }

    @Override
    public <T extends Resource> T fetchResource(Class<T> type, String url) {
        if (type == null || url == null) {
            return super.fetchResource(type, url);
        }
        String key = type.getName() + ' ' + url;
        Optional<Resource> cached = found.get(key);
        if (cached == null) {
            cached = Optional.ofNullable(super.fetchResource(type, url));
            if (found.size() >= MAX_ENTRIES) {
                found.clear();
            }
            found.put(key, cached);
        }
        return cached.filter(type::isInstance).map(type::cast).orElse(null);
    }

    void forget() {
        found.clear();
    }
}
