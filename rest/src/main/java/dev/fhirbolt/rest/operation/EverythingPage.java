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

    /**
     * One page of a record of {@code total} resources, the page at the cursor's offset.
     *
     * @param matched per resource of the page, whether it is the patients' (else included: one they reference)
     */
    static FhirResponse respond(FhirRequest request, List<ResourceVersion> page, List<Boolean> matched, int total,
            Cursor cursor, int count) {
        List<BundleContent.Entry> entries = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            entries.add(entry(request, page.get(i), matched.get(i) ? "match" : "include"));
        }
        int from = Math.min(cursor.offset(), total);
        int to = Math.min(from + count, total);
        String base = request.baseUrl() + "/" + request.path();
        Params params = request.params().without(n -> n.equals("_page"));
        List<BundleContent.Link> links = new ArrayList<>();
        links.add(new BundleContent.Link("self", link(base, params, cursor)));
        if (to < total) {
            links.add(new BundleContent.Link("next", link(base, params, new Cursor(cursor.asOfT(), to))));
        }
        if (from > 0) {
            links.add(new BundleContent.Link("previous", link(base, params,
                    new Cursor(cursor.asOfT(), Math.max(0, from - count)))));
        }
        return FhirResponse.of(200, new ResponseBody.Bundle(new BundleContent("searchset",
                Optional.of((long) total), links, entries)));
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
