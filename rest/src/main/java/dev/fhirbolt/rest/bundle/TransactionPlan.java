package dev.fhirbolt.rest.bundle;

import dev.fhirbolt.database.Write;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A transaction's plan: the writes in processing order and, per entry (by its index), what it did. */
final class TransactionPlan {

    /** What an entry does. */
    enum Action {
        CREATE, EXISTING, UPDATE, PATCH, DELETE, READ
    }

    final List<Write> writes = new ArrayList<>();
    final Map<Integer, Action> actions = new HashMap<>();
    final Map<Integer, List<Integer>> writeIndexes = new HashMap<>();
    final Map<Integer, String> existing = new HashMap<>();
}
