package dev.fhirbolt.authz;

import dev.fhirbolt.auth.AccessGrant;
import dev.fhirbolt.auth.SmartScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one access token may do, as enforced: its resource scopes turned into {@link Permit}s under the
 * {@link UserScopePolicy}. Immutable; built once per request.
 */
public final class Access {

    private static final Set<String> USER_COMPARTMENTS = Set.of("Patient", "Practitioner", "RelatedPerson");

    private final AccessGrant grant;
    private final List<Permit> permits;

    private Access(AccessGrant grant, List<Permit> permits) {
        this.grant = grant;
        this.permits = permits;
    }

    public static Access of(AccessGrant grant, UserScopePolicy policy) {
        List<Permit> permits = new ArrayList<>();
        for (SmartScope s : grant.resourceScopes()) {
            switch (s.context()) {
                case PATIENT -> {
                    if (grant.patient() != null) {
                        permits.add(new Permit(s, "Patient/" + grant.patient()));
                    }
                }
                case SYSTEM -> permits.add(new Permit(s, null));
                case USER -> {
                    String who = grant.fhirUser();
                    String whoType = who == null || who.indexOf('/') < 0 ? null : who.substring(0, who.indexOf('/'));
                    switch (policy) {
                        case ALL -> permits.add(new Permit(s, null));
                        case PRACTITIONER -> {
                            if ("Practitioner".equals(whoType) || "PractitionerRole".equals(whoType)) {
                                permits.add(new Permit(s, null));
                            } else if ("Patient".equals(whoType)) {
                                permits.add(new Permit(s, who));
                            }
                        }
                        case COMPARTMENT -> {
                            if (whoType != null && USER_COMPARTMENTS.contains(whoType)) {
                                permits.add(new Permit(s, who));
                            }
                        }
                    }
                }
            }
        }
        return new Access(grant, List.copyOf(permits));
    }

    public AccessGrant grant() {
        return grant;
    }

    /**
     * What this token may read, one entry per read permit: the resource type ({@code *} for all) and the compartment
     * it is held to ({@code Patient/123}, null: none). Granular permits are left out (their queries are not kept).
     */
    public List<ReadReach> readReach() {
        List<ReadReach> out = new ArrayList<>();
        for (Permit p : permits) {
            if (p.permits(SmartScope.Permission.READ) && !p.granular()) {
                out.add(new ReadReach(p.scope().isWildcardType() ? "*" : p.scope().resourceType(), p.compartment()));
            }
        }
        return out;
    }

    /** One read grant of {@link #readReach()}. */
    public record ReadReach(String type, String compartment) {
    }

    List<Permit> permits() {
        return permits;
    }

    /** The permits reaching {@code type} with {@code permission}. */
    List<Permit> applicable(String type, SmartScope.Permission permission) {
        List<Permit> out = new ArrayList<>(2);
        for (Permit p : permits) {
            if (p.appliesTo(type) && p.permits(permission)) {
                out.add(p);
            }
        }
        return out;
    }

    /** True when some permit is held to a compartment (then _has and chains need a restricted base search). */
    boolean anyRestricted() {
        return permits.stream().anyMatch(p -> p.compartment() != null);
    }

    /** True when some permit is held to a compartment or is granular (then writes need a {@link ScopedWrites}). */
    boolean anyLimited() {
        return permits.stream().anyMatch(p -> p.compartment() != null || p.granular());
    }

    /** The scope context to suggest in a 403: the one the token already uses most. */
    String suggestedContext() {
        if (permits.stream().anyMatch(p -> p.scope().context() == SmartScope.Context.PATIENT)
                || grant.patient() != null) {
            return "patient";
        }
        if (permits.stream().anyMatch(p -> p.scope().context() == SmartScope.Context.SYSTEM)
                || grant.subject().equals(grant.clientId())) {
            return "system";
        }
        return "user";
    }
}
