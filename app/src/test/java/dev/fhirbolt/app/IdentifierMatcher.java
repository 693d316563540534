package dev.fhirbolt.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.database.ResourceKeyspaces;
import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.rest.Params;
import dev.fhirbolt.rest.ResourceMatcher;
import dev.fhirbolt.storage.Bytes;
import dev.fhirbolt.storage.KvCursor;
import dev.fhirbolt.storage.KvSnapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * TEST ONLY: matches {@code _id} and {@code identifier=[system|]value} by scanning every current resource of the type.
 * Stands in for the search engine's matcher until it lands; never wire this into the server.
 */
final class IdentifierMatcher implements ResourceMatcher {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ResourceStore store;

    IdentifierMatcher(ResourceStore store) {
        this.store = store;
    }

    @Override
    public List<String> matchIds(String type, Params criteria, int limit) {
        for (Params.Param p : criteria.all()) {
            if (!p.name().equals("_id") && !p.name().equals("identifier")) {
                throw FhirException.notSupported("test matcher supports only _id and identifier, not " + p.name());
            }
        }
        List<String> ids = new ArrayList<>();
        byte[] prefix = Bytes.key(type);
        try (KvSnapshot snapshot = store.snapshot(); KvCursor cursor = snapshot.cursor(ResourceKeyspaces.CURRENT)) {
            for (cursor.seek(prefix); cursor.isValid() && Bytes.startsWith(cursor.key(), prefix); cursor.next()) {
                byte[] key = cursor.key();
                String id = Bytes.utf8(key, prefix.length, key.length - 1);
                ResourceVersion v = store.readCurrent(snapshot, type, id).orElse(null);
                if (v == null || v.deleted() || !matches(v, criteria)) {
                    continue;
                }
                ids.add(id);
                if (ids.size() >= limit) {
                    break;
                }
            }
        }
        return ids;
    }

    private static boolean matches(ResourceVersion v, Params criteria) {
        JsonNode json;
        try {
            json = MAPPER.readTree(v.json());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (Params.Param p : criteria.all()) {
            boolean any = false;
            for (String value : p.value().split(",")) {
                if (p.name().equals("_id") ? v.id().equals(value) : hasIdentifier(json, value)) {
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasIdentifier(JsonNode json, String token) {
        int bar = token.indexOf('|');
        String system = bar < 0 ? null : token.substring(0, bar);
        String value = bar < 0 ? token : token.substring(bar + 1);
        for (JsonNode identifier : json.path("identifier")) {
            if (value.equals(identifier.path("value").asText(null))
                    && (system == null || system.equals(identifier.path("system").asText("")))) {
                return true;
            }
        }
        return false;
    }
}
