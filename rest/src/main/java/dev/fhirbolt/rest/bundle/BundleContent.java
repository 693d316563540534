package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.rest.ResponseBody;
import java.util.List;
import java.util.Optional;

/**
 * A Bundle to send, described rather than built: entries point at stored JSON where they can, so the renderer can
 * splice stored bytes into the JSON output without parsing them.
 */
public record BundleContent(String type, Optional<Long> total, List<Link> links, List<Entry> entries) {

    public record Link(String relation, String url) {
    }

    public record EntryRequest(String method, String url) {
    }

    public record EntryResponse(String status, Optional<String> location, Optional<String> etag,
            Optional<String> lastModified, Optional<ResponseBody> outcome) {
    }

    /** {@code resource} is a Stored or Model body when present. */
    public record Entry(Optional<String> fullUrl, Optional<ResponseBody> resource, Optional<String> searchMode,
            Optional<EntryRequest> request, Optional<EntryResponse> response) {

        public static Entry match(String fullUrl, ResponseBody resource, String mode) {
            return new Entry(Optional.of(fullUrl), Optional.of(resource), Optional.of(mode), Optional.empty(),
                    Optional.empty());
        }
    }
}
