package dev.fhirbolt.search.query;

import dev.fhirbolt.database.ResourceVersion;
import dev.fhirbolt.search.index.Encoded;
import dev.fhirbolt.search.param.CompiledParam;
import dev.fhirbolt.search.param.ParamType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * _include and _revinclude for one page: follows the references of the page's resources (and, with :iterate, of
 * what was included) through the indexes, so the cost grows with the page, not with the database.
 */
public final class IncludeResolver {

    private static final int MAX_ROUNDS = 8;
    private static final int MAX_INCLUDES = 5_000;

    private final QueryContext q;
    private final BiFunction<String, String, ResourceVersion> load;

    public IncludeResolver(QueryContext q, BiFunction<String, String, ResourceVersion> load) {
        this.q = q;
        this.load = load;
    }

    public List<ResourceVersion> resolve(List<ResourceVersion> page, ResultParams params) {
        Set<String> seen = new HashSet<>();
        page.forEach(r -> seen.add(r.type() + "/" + r.id()));
        List<ResourceVersion> included = new ArrayList<>();
        List<ResourceVersion> round = page;
        for (int i = 0; i < MAX_ROUNDS && !round.isEmpty(); i++) {
            boolean first = i == 0;
            List<ResourceVersion> added = new ArrayList<>();
            for (ResourceVersion r : round) {
                for (ResultParams.IncludeSpec spec : params.includes()) {
                    if (first || spec.iterate()) {
                        forward(r, spec, seen, added);
                    }
                }
                for (ResultParams.IncludeSpec spec : params.revIncludes()) {
                    if (first || spec.iterate()) {
                        reverse(r, spec, seen, added);
                    }
                }
                if (included.size() + added.size() > MAX_INCLUDES) {
                    break;
                }
            }
            included.addAll(added);
            round = added;
        }
        return included;
    }

    private void forward(ResourceVersion r, ResultParams.IncludeSpec spec, Set<String> seen, List<ResourceVersion> out) {
        if (!spec.source().equals("*") && !spec.source().equals(r.type())) {
            return;
        }
        List<String> codes = new ArrayList<>();
        if (spec.param().equals("*")) {
            for (CompiledParam p : q.registry().forType(r.type()).values()) {
                if (p.type() == ParamType.REFERENCE) {
                    codes.add(p.code());
                }
            }
        } else {
            codes.add(spec.param());
        }
        for (String code : codes) {
            for (byte[] v : q.reader().values(r.type(), r.id(), code)) {
                if (v[0] != Encoded.LOCAL_REF) {
                    continue;
                }
                String ref = Encoded.parts(v)[0];
                int slash = ref.indexOf('/');
                String type = ref.substring(0, slash);
                if (spec.target() == null || spec.target().equals(type)) {
                    add(type, ref.substring(slash + 1), seen, out);
                }
            }
        }
    }

    private void reverse(ResourceVersion r, ResultParams.IncludeSpec spec, Set<String> seen, List<ResourceVersion> out) {
        if (spec.source().equals("*") || spec.target() != null && !spec.target().equals(r.type())) {
            return;
        }
        if (q.registry().find(spec.source(), spec.param()).isEmpty()) {
            return;
        }
        SortedSet<String> ids = new TreeSet<>();
        byte[] ref = Encoded.strings(Encoded.LOCAL_REF, r.type() + "/" + r.id());
        q.reader().scan(spec.param(), spec.source(), Alternative.exact(ref), ids, Long.MAX_VALUE);
        for (String id : ids) {
            add(spec.source(), id, seen, out);
        }
    }

    private void add(String type, String id, Set<String> seen, List<ResourceVersion> out) {
        if (seen.add(type + "/" + id)) {
            ResourceVersion v = load.apply(type, id);
            if (v != null) {
                out.add(v);
            }
        }
    }
}
