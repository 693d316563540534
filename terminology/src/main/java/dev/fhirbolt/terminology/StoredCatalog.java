package dev.fhirbolt.terminology;

import dev.fhirbolt.database.ResourceStore;
import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.database.WriteOutcome;
import dev.fhirbolt.fhir.ResourceReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Resource;

/**
 * The CodeSystems, ValueSets and ConceptMaps stored in the server, by canonical URL. The catalog (url to id and
 * version) is read once, at the first terminology request rather than at start-up, and then follows every committed
 * write on this node (in a cluster each node applies the same commits). Parsed resources and their code system
 * indexes are cached by id and version, which never change, so a cached entry never goes stale.
 */
public final class StoredCatalog {

    static final Set<String> TYPES = Set.of("CodeSystem", "ValueSet", "ConceptMap");
    private static final int CACHED = 32;

    /** One stored resource's current version. */
    record Entry(String type, String id, long version, String url, String canonicalVersion) {
        String key() {
            return type + "/" + id + "/" + version;
        }
    }

    private final ResourceStore store;
    private final Map<String, Entry> byTypeAndId = new HashMap<>();
    private final Map<String, List<Entry>> byUrl = new HashMap<>();
    private final Map<String, Object> parsed = new LinkedHashMap<>(CACHED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > CACHED;
        }
    };
    private final Map<String, Object> building = new java.util.concurrent.ConcurrentHashMap<>();
    private boolean loaded;
    private volatile java.util.function.Consumer<String> onCodeSystem = id -> { };

    private StoredCatalog(ResourceStore store) {
        this.store = store;
    }

    /** A catalog that follows the store's commits from now on. */
    public static StoredCatalog follow(ResourceStore store) {
        StoredCatalog catalog = new StoredCatalog(store);
        store.addCommitListener(catalog::apply);
        return catalog;
    }

    /** Hears the id of each CodeSystem written (to index it ahead of the first request). */
    void onCodeSystem(java.util.function.Consumer<String> listener) {
        this.onCodeSystem = listener;
    }

    private void apply(List<WriteOutcome> outcomes) {
        List<String> written = new ArrayList<>();
        synchronized (this) {
            for (WriteOutcome outcome : outcomes) {
                ResourceVersion v = outcome.version();
                if (v == null || !TYPES.contains(v.type())) {
                    continue;
                }
                if (loaded) {
                    put(v); // before the first lookup, that lookup reads everything committed by then
                }
                if (v.type().equals("CodeSystem") && !v.deleted()) {
                    written.add(v.id());
                }
            }
        }
        written.forEach(onCodeSystem);
    }

    private void load() {
        if (loaded) {
            return;
        }
        long t = store.lastT();
        for (String type : TYPES) {
            store.scanType(type, t, this::put);
        }
        loaded = true;
    }

    private void put(ResourceVersion v) {
        Entry old = byTypeAndId.remove(v.type() + "/" + v.id());
        if (old != null) {
            List<Entry> same = byUrl.get(old.url());
            if (same != null) {
                same.remove(old);
                if (same.isEmpty()) {
                    byUrl.remove(old.url());
                }
            }
        }
        if (v.deleted() || v.json() == null) {
            return;
        }
        CanonicalPeek.of(v.json()).ifPresent(c -> {
            Entry e = new Entry(v.type(), v.id(), v.version(), c.url(), c.version());
            byTypeAndId.put(v.type() + "/" + v.id(), e);
            byUrl.computeIfAbsent(c.url(), k -> new ArrayList<>(1)).add(e);
        });
    }

    /** The entry for {@code url} or {@code url|version} of a type, the highest version when several match. */
    synchronized Optional<Entry> find(String type, String canonical) {
        load();
        int bar = canonical.indexOf('|');
        String url = bar < 0 ? canonical : canonical.substring(0, bar);
        String version = bar < 0 ? null : canonical.substring(bar + 1);
        Entry best = null;
        for (Entry e : byUrl.getOrDefault(url, List.of())) {
            if (e.type().equals(type) && (version == null || version.equals(e.canonicalVersion()))
                    && (best == null || compare(e.canonicalVersion(), best.canonicalVersion()) > 0)) {
                best = e;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The entry of {@code type/id}, e.g. for an instance-level operation. */
    synchronized Optional<Entry> byId(String type, String id) {
        load();
        return Optional.ofNullable(byTypeAndId.get(type + "/" + id));
    }

    /** Every stored resource of a type (ConceptMaps to translate with when none is named). */
    synchronized List<Entry> all(String type) {
        load();
        return byTypeAndId.values().stream().filter(e -> e.type().equals(type)).toList();
    }

    private static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return a.compareTo(b);
    }

    /** The parsed resource of an entry (cached). */
    Optional<Resource> resource(Entry e) {
        return Optional.ofNullable(cached(e.key(), () -> store.readCurrent(e.type(), e.id())
                .filter(v -> !v.deleted() && v.version() == e.version())
                .map(v -> ResourceReader.readStored(v.json())).orElse(null), Resource.class));
    }

    /** Something derived from an entry's resource (a code system index), cached with it. */
    <T> T derived(Entry e, String what, java.util.function.Supplier<T> build, Class<T> kind) {
        return cached(e.key() + "#" + what, build, kind);
    }

    /** One build per key at a time: a second caller waits for the first's result instead of building it again. */
    private <T> T cached(String key, java.util.function.Supplier<T> build, Class<T> kind) {
        Object lock = building.computeIfAbsent(key, k -> new Object());
        try {
            synchronized (lock) {
                synchronized (parsed) {
                    Object hit = parsed.get(key);
                    if (hit != null) {
                        return kind.cast(hit);
                    }
                }
                T value = build.get();
                if (value != null) {
                    synchronized (parsed) {
                        parsed.put(key, value);
                    }
                }
                return value;
            }
        } finally {
            building.remove(key, lock);
        }
    }
}
