package dev.fhirbolt.rest.bundle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.fhirbolt.fhir.FhirFormat;
import dev.fhirbolt.fhir.ResourceReader;
import dev.fhirbolt.fhir.ResourceWriter;
import dev.fhirbolt.fhir.RenderOptions;
import dev.fhirbolt.fhir.StampableJson;
import dev.fhirbolt.fhir.SummaryMode;
import dev.fhirbolt.rest.ResponseBody;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Writes a {@link BundleContent}. Plain JSON is streamed with stored resources copied byte for byte; any other shape
 * (XML, pretty, _summary, _elements) goes through the HAPI model.
 */
public final class BundleRenderer {

    private static final JsonFactory JSON = new JsonFactory();

    private BundleRenderer() {
    }

    public static void write(BundleContent content, RenderOptions options, OutputStream out) {
        try {
            if (options.isVerbatimJson()) {
                writeJson(content, out);
            } else if (options.summary() == SummaryMode.TRUE || options.summary() == SummaryMode.DATA) {
                out.write(ResourceWriter.render(summarized(content, options), new RenderOptions(options.format(),
                        options.pretty(), SummaryMode.FALSE, options.elements())));
            } else {
                out.write(ResourceWriter.render(toModel(content, options), options));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeJson(BundleContent content, OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("resourceType", "Bundle");
            g.writeStringField("id", UUID.randomUUID().toString());
            g.writeObjectFieldStart("meta");
            g.writeStringField("lastUpdated", StampableJson.formatInstant(Instant.now()));
            g.writeEndObject();
            g.writeStringField("type", content.type());
            if (content.total().isPresent()) {
                g.writeNumberField("total", content.total().get());
            }
            if (!content.links().isEmpty()) {
                g.writeArrayFieldStart("link");
                for (BundleContent.Link link : content.links()) {
                    g.writeStartObject();
                    g.writeStringField("relation", link.relation());
                    g.writeStringField("url", link.url());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (!content.entries().isEmpty()) {
                g.writeArrayFieldStart("entry");
                for (BundleContent.Entry entry : content.entries()) {
                    writeEntry(g, entry);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
    }

    private static void writeEntry(JsonGenerator g, BundleContent.Entry entry) throws IOException {
        g.writeStartObject();
        if (entry.fullUrl().isPresent()) {
            g.writeStringField("fullUrl", entry.fullUrl().get());
        }
        if (entry.resource().isPresent()) {
            g.writeFieldName("resource");
            g.writeRawValue(new RawJson(json(entry.resource().get())));
        }
        if (entry.searchMode().isPresent()) {
            g.writeObjectFieldStart("search");
            g.writeStringField("mode", entry.searchMode().get());
            g.writeEndObject();
        }
        if (entry.request().isPresent()) {
            g.writeObjectFieldStart("request");
            g.writeStringField("method", entry.request().get().method());
            g.writeStringField("url", entry.request().get().url());
            g.writeEndObject();
        }
        if (entry.response().isPresent()) {
            BundleContent.EntryResponse r = entry.response().get();
            g.writeObjectFieldStart("response");
            g.writeStringField("status", r.status());
            if (r.location().isPresent()) {
                g.writeStringField("location", r.location().get());
            }
            if (r.etag().isPresent()) {
                g.writeStringField("etag", r.etag().get());
            }
            if (r.lastModified().isPresent()) {
                g.writeStringField("lastModified", r.lastModified().get());
            }
            if (r.outcome().isPresent()) {
                g.writeFieldName("outcome");
                g.writeRawValue(new RawJson(json(r.outcome().get())));
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static byte[] json(ResponseBody body) {
        return switch (body) {
            case ResponseBody.Stored s -> s.version().json();
            case ResponseBody.Model m -> ResourceWriter.render(m.resource(), RenderOptions.COMPACT_JSON);
            default -> throw new IllegalArgumentException("a bundle entry holds a resource, not " + body);
        };
    }

    /**
     * The bundle with its resources in summary form. HAPI's summary mode marks every resource it writes as SUBSETTED,
     * the Bundle too, which is not subsetted: so each resource is summarized on its own (and tagged) and the Bundle
     * is written in full around them.
     */
    private static Bundle summarized(BundleContent content, RenderOptions options) {
        RenderOptions each = new RenderOptions(FhirFormat.JSON, false, options.summary(), Optional.empty());
        Bundle bundle = toModel(content, options);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource()) {
                entry.setResource(ResourceReader.readStored(ResourceWriter.render(entry.getResource(), each)));
            }
        }
        return bundle;
    }

    /** The same bundle as a HAPI model, for the formats and options that need the model. */
    public static Bundle toModel(BundleContent content, RenderOptions options) {
        Bundle bundle = new Bundle();
        bundle.setId(UUID.randomUUID().toString());
        bundle.getMeta().setLastUpdated(new java.util.Date());
        bundle.setType(Bundle.BundleType.fromCode(content.type()));
        content.total().ifPresent(t -> bundle.setTotal(t.intValue()));
        content.links().forEach(l -> bundle.addLink().setRelation(l.relation()).setUrl(l.url()));
        for (BundleContent.Entry e : content.entries()) {
            Bundle.BundleEntryComponent entry = bundle.addEntry();
            e.fullUrl().ifPresent(entry::setFullUrl);
            e.resource().ifPresent(r -> entry.setResource(model(r)));
            e.searchMode().ifPresent(m -> entry.getSearch().setMode(Bundle.SearchEntryMode.fromCode(m)));
            e.request().ifPresent(r -> entry.getRequest()
                    .setMethod(Bundle.HTTPVerb.fromCode(r.method())).setUrl(r.url()));
            e.response().ifPresent(r -> {
                entry.getResponse().setStatus(r.status());
                r.location().ifPresent(entry.getResponse()::setLocation);
                r.etag().ifPresent(entry.getResponse()::setEtag);
                r.lastModified().ifPresent(lm -> entry.getResponse().setLastModifiedElement(
                        new org.hl7.fhir.r4.model.InstantType(lm)));
                r.outcome().ifPresent(o -> entry.getResponse().setOutcome(model(o)));
            });
        }
        return bundle;
    }

    private static Resource model(ResponseBody body) {
        return switch (body) {
            case ResponseBody.Stored s -> ResourceReader.readStored(s.version().json());
            case ResponseBody.Model m -> (Resource) m.resource();
            default -> throw new IllegalArgumentException("a bundle entry holds a resource, not " + body);
        };
    }
}
