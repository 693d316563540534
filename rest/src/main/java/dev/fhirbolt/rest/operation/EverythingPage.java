package dev.fhirbolt.rest.operation;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.rest.FhirResponse;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResponseBody;
import dev.fhirbolt.rest.bundle.BundleContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Cuts one page out of an $everything result and links to its neighbours. */
final class EverythingPage {

    /** The transaction the record is read as of, and the offset of the page. */
    record Cursor(long asOfT, int offset) {
        String encode() {
            return asOfT + "-" + offset;
        }

        static Cursor decode(String token) {
            try {
                String[] parts = token.split("-", 2);
                return new Cursor(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            } catch (RuntimeException e) {
                throw FhirException.invalid("_page is not a page token this server issued");
            }
        }
    }

    private EverythingPage() {
    }

    static FhirResponse respond(FhirRequest request, List<ResourceVersion> matches, List<ResourceVersion> included,
            Cursor cursor, int count) {
        List<BundleContent.Entry> all = new ArrayList<>();
        matches.forEach(v -> all.add(entry(request, v, "match")));
        included.forEach(v -> all.add(entry(request, v, "include")));
        int from = Math.min(cursor.offset(), all.size());
        int to = Math.min(from + count, all.size());
        String base = request.baseUrl() + "/" + request.path();
        Params params = request.params().without(n -> n.equals("_page"));
        List<BundleContent.Link> links = new ArrayList<>();
        links.add(new BundleContent.Link("self", link(base, params, cursor)));
        if (to < all.size()) {
            links.add(new BundleContent.Link("next", link(base, params, new Cursor(cursor.asOfT(), to))));
        }
        if (from > 0) {
            links.add(new BundleContent.Link("previous", link(base, params,
                    new Cursor(cursor.asOfT(), Math.max(0, from - count)))));
        }
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("searchset",
                Optional.of((long) all.size()), links, all.subList(from, to))));
    }

    private static BundleContent.Entry entry(FhirRequest request, ResourceVersion v, String mode) {
        return BundleContent.Entry.match(request.baseUrl() + "/" + v.type() + "/" + v.id(),
                new ResponseBody.Stored(v), mode);
    }

    private static String link(String base, Params params, Cursor cursor) {
        Params withPage = params.plus(Params.parse("_page=" + cursor.encode()));
        return base + "?" + withPage.toQueryString();
    }
}
