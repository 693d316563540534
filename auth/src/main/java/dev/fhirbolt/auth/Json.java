package dev.fhirbolt.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON through Nimbus's bundled parser: objects are {@code Map<String, Object>}. */
final class Json {

    private Json() {
    }

    static Map<String, Object> parse(String text) {
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage(), e);
        }
    }

    static Map<String, Object> parse(byte[] bytes) {
        return parse(new String(bytes, StandardCharsets.UTF_8));
    }

    static String write(Map<String, ?> map) {
        return JSONObjectUtils.toJSONString(map);
    }

    static byte[] bytes(Map<String, ?> map) {
        return write(map).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    static String str(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v.toString();
    }

    static long lng(Map<String, ?> m, String key, long dflt) {
        Object v = m.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return dflt;
            }
        }
        return dflt;
    }

    static boolean bool(Map<String, ?> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    static Instant instant(Map<String, ?> m, String key) {
        long v = lng(m, key, Long.MIN_VALUE);
        return v == Long.MIN_VALUE ? null : Instant.ofEpochMilli(v);
    }

    static List<String> strings(Map<String, ?> m, String key) {
        Object v = m.get(key);
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o != null) {
                    out.add(o.toString());
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, ?> m, String key) {
        Object v = m.get(key);
        List<Map<String, Object>> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> map) {
                    out.add((Map<String, Object>) map);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Map<String, ?> m, String key) {
        Object v = m.get(key);
        return v instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
    }

    static List<Map<String, Object>> contextToJson(List<FhirContextItem> items) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (FhirContextItem i : items) {
            Map<String, Object> m = object();
            if (i.reference() != null) {
                m.put("reference", i.reference());
            }
            if (i.canonical() != null) {
                m.put("canonical", i.canonical());
            }
            if (i.type() != null) {
                m.put("type", i.type());
            }
            if (i.role() != null) {
                m.put("role", i.role());
            }
            out.add(m);
        }
        return out;
    }

    static List<FhirContextItem> contextFromJson(List<Map<String, Object>> list) {
        List<FhirContextItem> out = new ArrayList<>();
        for (Map<String, Object> m : list) {
            out.add(new FhirContextItem(str(m, "reference"), str(m, "canonical"), str(m, "type"), str(m, "role")));
        }
        return out;
    }
}
