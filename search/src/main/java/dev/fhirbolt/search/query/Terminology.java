package dev.fhirbolt.search.query;

import java.util.Optional;
import org.hl7.fhir.r4.model.Resource;

/** Finds the ValueSets and CodeSystems stored in the server that token modifiers (:in, :below, ...) refer to. */
@FunctionalInterface
public interface Terminology {

    Terminology NONE = (type, value) -> Optional.empty();

    /**
     * The current version of a {@code type} resource named by a canonical URL (optionally {@code url|version}) or a
     * literal reference ({@code ValueSet/123}).
     */
    Optional<Resource> resolve(String type, String canonicalOrReference);
}
