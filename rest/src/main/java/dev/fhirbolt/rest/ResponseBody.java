package dev.fhirbolt.rest;

import dev.fhirbolt.database.ResourceVersion;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** What a response carries, rendered by the HTTP adapter in the negotiated format. */
public sealed interface ResponseBody {

    /** A stored version: sent byte for byte when the client asks for plain JSON. */
    record Stored(ResourceVersion version) implements ResponseBody {
    }

    /** A model object built for this response (Bundles, OperationOutcomes, CapabilityStatement). */
    record Model(IBaseResource resource) implements ResponseBody {
    }

    /** Bytes that are not a FHIR resource (health checks, NDJSON, JSON documents). */
    record Raw(byte[] bytes, String contentType) implements ResponseBody {
    }

    /** A Bundle described by its entries; see {@link dev.fhirbolt.rest.bundle.BundleRenderer}. */
    record Bundle(dev.fhirbolt.rest.bundle.BundleContent content) implements ResponseBody {
    }

    /** A file streamed as it is (export downloads), never loaded into memory. */
    record File(java.nio.file.Path path, String contentType) implements ResponseBody {
    }

    record None() implements ResponseBody {
    }

    None NONE = new None();
}
