package dev.fhirbolt.search.query;

import dev.fhirbolt.search.index.CodeDates;
import dev.fhirbolt.search.param.ParamType;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites {@code code=system|c} AND {@code date=...} into one {@link CodeDateClause} when search-code-date holds
 * exactly those matches (exact system-qualified codes, {@link CodeDates}; any date clause that is not negated) and
 * they are few: counting them stops at {@link Planner#QUICK_CAP} entries, and beyond that the code streams and the
 * date checks its candidates as before (a page then fills from the first candidates).
 */
final class CodeDateClauses {

    private CodeDateClauses() {
    }

    static List<Clause> combine(QueryContext q, String type, List<Clause> clauses) {
        if (!q.scopedIndexes()) {
            return clauses;
        }
        ValueClause token = null;
        List<byte[]> values = null;
        ValueClause date = null;
        for (Clause c : clauses) {
            if (c instanceof ValueClause v) {
                if (token == null && v.code().equals(CodeDates.CODE) && (values = pairedValues(v)) != null) {
                    token = v;
                } else if (date == null && v.code().equals(CodeDates.DATE) && v.alternatives() != null
                        && isDateParam(q, type)) {
                    date = v;
                }
            }
        }
        if (token == null || date == null) {
            return clauses;
        }
        CodeDateClause combined = new CodeDateClause(token, date, values);
        if (combined.estimate(q, type, Planner.QUICK_CAP) >= Planner.QUICK_CAP) {
            return clauses;
        }
        List<Clause> out = new ArrayList<>(clauses.size());
        out.add(combined);
        for (Clause c : clauses) {
            if (c != token && c != date) {
                out.add(c);
            }
        }
        return out;
    }

    /** Whether the type's date parameter is of type date (whose values are the range entries that get paired). */
    private static boolean isDateParam(QueryContext q, String type) {
        return q.registry().find(type, CodeDates.DATE).map(p -> p.type() == ParamType.DATE).orElse(false);
    }

    /** The values of a code clause that search-code-date pairs with dates, when it pairs all of them. */
    private static List<byte[]> pairedValues(ValueClause token) {
        List<byte[]> values = token.exactValues();
        if (values == null || values.isEmpty() || values.size() > ValueClause.MAX_MERGED) {
            return null;
        }
        for (byte[] v : values) {
            if (!CodeDates.pairs(v[0])) {
                return null;
            }
        }
        return values;
    }
}
