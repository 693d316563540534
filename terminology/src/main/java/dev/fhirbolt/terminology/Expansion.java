package dev.fhirbolt.terminology;

import java.util.List;

/** The codes of a value set that an expansion request selects: {@code total} in all, {@code members} of the page. */
public record Expansion(int total, int offset, List<Member> members) {
}
