package dev.fhirbolt.subscriptions;

import java.util.List;
import java.util.Set;

/**
 * What a subscription's creator may read, recorded from their token when the subscription was written: resources
 * outside it are never delivered. {@link #EVERYTHING} when security is off.
 */
public record Audience(List<Reach> reaches) {

    /** One read grant: a resource type ({@code *} for every type) and the compartment it is held to (null: none). */
    public record Reach(String type, String compartment) {

        /** {@code Observation Patient/123}, {@code * *}: the form kept in the Subscription's extension. */
        public String encode() {
            return type + " " + (compartment == null ? "*" : compartment);
        }

        public static Reach decode(String text) {
            String[] parts = text.trim().split(" ");
            return new Reach(parts[0], parts.length < 2 || parts[1].equals("*") ? null : parts[1]);
        }
    }

    public static final Audience EVERYTHING = new Audience(List.of(new Reach("*", null)));
    public static final Audience NOTHING = new Audience(List.of());

    public Audience {
        reaches = List.copyOf(reaches);
    }

    /** Whether a resource of {@code type} in {@code compartments} ({@code Patient/123}, ...) may be delivered. */
    public boolean mayRead(String type, Set<String> compartments) {
        for (Reach r : reaches) {
            if ((r.type().equals("*") || r.type().equals(type))
                    && (r.compartment() == null || compartments.contains(r.compartment()))) {
                return true;
            }
        }
        return false;
    }

    /** True when some reach is held to a compartment (then the resource's compartments are needed). */
    public boolean restricted() {
        return reaches.stream().anyMatch(r -> r.compartment() != null);
    }
}
