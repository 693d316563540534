package dev.fhirbolt.auth;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One SMART App Launch scope, parsed. Understands the v1 resource scopes ({@code patient/Observation.read},
 * {@code .write}, {@code .*}), the v2 ones ({@code user/Observation.rs}, permissions a non-empty subset of
 * {@code cruds} in that order), wildcards ({@code patient/*.rs}), granular query suffixes
 * ({@code patient/Observation.rs?category=laboratory}) and the non-resource scopes {@code launch},
 * {@code launch/patient}, {@code launch/encounter}, {@code openid}, {@code fhirUser}, {@code profile},
 * {@code offline_access} and {@code online_access}.
 *
 * <p>Immutable and thread-safe. {@link #parse(String)} answers empty for anything it does not understand, so
 * callers can drop unknown scopes (OAuth lets a server grant less than asked).
 */
public final class SmartScope {

    /** What a scope is about. */
    public enum Kind {
        RESOURCE, LAUNCH, LAUNCH_PATIENT, LAUNCH_ENCOUNTER, OPENID, FHIR_USER, PROFILE, OFFLINE_ACCESS, ONLINE_ACCESS
    }

    /** The compartment a resource scope applies to. */
    public enum Context {
        PATIENT("patient"), USER("user"), SYSTEM("system");

        private final String prefix;

        Context(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }

        static Context of(String prefix) {
            for (Context c : values()) {
                if (c.prefix.equals(prefix)) {
                    return c;
                }
            }
            return null;
        }
    }

    /** SMART v2 permissions, in their canonical order. */
    public enum Permission {
        CREATE('c', "create"), READ('r', "read"), UPDATE('u', "update"), DELETE('d', "delete"), SEARCH('s', "search");

        private final char letter;
        private final String word;

        Permission(char letter, String word) {
            this.letter = letter;
            this.word = word;
        }

        public char letter() {
            return letter;
        }

        public String word() {
            return word;
        }
    }

    /** One {@code name=value} pair of a granular scope's query suffix, URL-decoded. */
    public record Parameter(String name, String value) {
    }

    private static final Pattern RESOURCE = Pattern.compile(
            "(patient|user|system)/(\\*|[A-Z][A-Za-z]{0,63})\\.([a-z*]+)(\\?(.*))?");
    private static final Map<String, Kind> SIMPLE = Map.of(
            "launch", Kind.LAUNCH, "launch/patient", Kind.LAUNCH_PATIENT, "launch/encounter", Kind.LAUNCH_ENCOUNTER,
            "openid", Kind.OPENID, "fhirUser", Kind.FHIR_USER, "profile", Kind.PROFILE,
            "offline_access", Kind.OFFLINE_ACCESS, "online_access", Kind.ONLINE_ACCESS);

    private final String raw;
    private final Kind kind;
    private final Context context;
    private final String resourceType;
    private final Set<Permission> permissions;
    private final boolean v1;
    private final List<Parameter> parameters;

    private SmartScope(String raw, Kind kind, Context context, String resourceType, Set<Permission> permissions,
            boolean v1, List<Parameter> parameters) {
        this.raw = raw;
        this.kind = kind;
        this.context = context;
        this.resourceType = resourceType;
        this.permissions = permissions;
        this.v1 = v1;
        this.parameters = parameters;
    }

    /** Parses one scope token; empty when it is not a scope Fhirbolt understands. */
    public static Optional<SmartScope> parse(String token) {
        if (token == null || token.isEmpty() || token.length() > 1024) {
            return Optional.empty();
        }
        Kind simple = SIMPLE.get(token);
        if (simple != null) {
            return Optional.of(new SmartScope(token, simple, null, null, Set.of(), false, List.of()));
        }
        Matcher m = RESOURCE.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        Context context = Context.of(m.group(1));
        String type = m.group(2);
        String perms = m.group(3);
        EnumSet<Permission> set = EnumSet.noneOf(Permission.class);
        boolean v1 = false;
        switch (perms) {
            case "read" -> {
                v1 = true;
                set.add(Permission.READ);
                set.add(Permission.SEARCH);
            }
            case "write" -> {
                v1 = true;
                set.add(Permission.CREATE);
                set.add(Permission.UPDATE);
                set.add(Permission.DELETE);
            }
            case "*" -> {
                v1 = true;
                set.addAll(EnumSet.allOf(Permission.class));
            }
            default -> {
                int last = -1;
                for (char ch : perms.toCharArray()) {
                    Permission p = byLetter(ch);
                    if (p == null || p.ordinal() <= last) {
                        return Optional.empty(); // unknown letter, out of order or repeated
                    }
                    last = p.ordinal();
                    set.add(p);
                }
            }
        }
        List<Parameter> params = List.of();
        if (m.group(4) != null) {
            if (v1) {
                return Optional.empty(); // granular scopes are a v2 feature
            }
            Optional<List<Parameter>> parsed = parseQuery(m.group(5));
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            params = parsed.get();
        }
        return Optional.of(new SmartScope(token, Kind.RESOURCE, context, type, Collections.unmodifiableSet(set), v1,
                params));
    }

    /** Parses a space-separated scope string, keeping the understood scopes once each, in order. */
    public static List<SmartScope> parseAll(String scopes) {
        if (scopes == null || scopes.isBlank()) {
            return List.of();
        }
        Map<String, SmartScope> out = new LinkedHashMap<>();
        for (String token : scopes.trim().split("\\s+")) {
            parse(token).ifPresent(s -> out.putIfAbsent(s.raw, s));
        }
        return List.copyOf(out.values());
    }

    /** The tokens of a space-separated scope string that {@link #parse} does not understand. */
    public static List<String> unknownTokens(String scopes) {
        if (scopes == null || scopes.isBlank()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String token : scopes.trim().split("\\s+")) {
            if (parse(token).isEmpty()) {
                out.add(token);
            }
        }
        return out;
    }

    /** Joins scopes back into the space-separated form of OAuth. */
    public static String join(Collection<SmartScope> scopes) {
        return scopes.stream().map(SmartScope::raw).collect(Collectors.joining(" "));
    }

    /** True when some scope of {@code allowed} covers {@code scope}. */
    public static boolean coveredBy(SmartScope scope, Collection<SmartScope> allowed) {
        return allowed.stream().anyMatch(scope::isWithin);
    }

    private static Permission byLetter(char ch) {
        for (Permission p : Permission.values()) {
            if (p.letter == ch) {
                return p;
            }
        }
        return null;
    }

    private static Optional<List<Parameter>> parseQuery(String query) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        List<Parameter> out = new ArrayList<>();
        for (String pair : query.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            try {
                out.add(new Parameter(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(out));
    }

    /** The scope exactly as written. */
    public String raw() {
        return raw;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isResourceScope() {
        return kind == Kind.RESOURCE;
    }

    /** patient, user or system for resource scopes; null otherwise. */
    public Context context() {
        return context;
    }

    /** The resource type, or {@code *}; null for non-resource scopes. */
    public String resourceType() {
        return resourceType;
    }

    public boolean isWildcardType() {
        return "*".equals(resourceType);
    }

    /** The v2 permissions this scope grants (v1 {@code read} is r+s, {@code write} is c+u+d, {@code *} is all). */
    public Set<Permission> permissions() {
        return permissions;
    }

    public boolean isV1() {
        return v1;
    }

    /** The granular query restriction, empty when the scope is not granular. */
    public List<Parameter> parameters() {
        return parameters;
    }

    public boolean permits(Permission permission) {
        return permissions.contains(permission);
    }

    /** True when this resource scope applies to resources of {@code type}. */
    public boolean appliesTo(String type) {
        return isResourceScope() && (isWildcardType() || resourceType.equals(type));
    }

    /** The v2 permission letters, e.g. {@code rs}. */
    public String permissionLetters() {
        StringBuilder b = new StringBuilder();
        for (Permission p : permissions) {
            b.append(p.letter);
        }
        return b.toString();
    }

    /**
     * True when everything this scope grants is also granted by {@code other}: same kind; for resource scopes the
     * same context, a type equal to or covered by a wildcard, permissions a subset and every query parameter of
     * {@code other} also present here (a granular scope is narrower than the plain one).
     */
    public boolean isWithin(SmartScope other) {
        if (kind != other.kind) {
            return false;
        }
        if (kind != Kind.RESOURCE) {
            return true;
        }
        return context == other.context
                && (other.isWildcardType() || other.resourceType.equals(resourceType))
                && other.permissions.containsAll(permissions)
                && parameters.containsAll(other.parameters);
    }

    /** The same scope for another resource type (used when a user narrows a wildcard on the consent page). */
    public SmartScope withResourceType(String type) {
        String suffix = raw.substring(raw.indexOf('.'));
        return parse(context.prefix + "/" + type + suffix).orElseThrow();
    }

    /** Plain words for the consent page. */
    public String describe() {
        return switch (kind) {
            case LAUNCH -> "Use the context the EHR launched the app with";
            case LAUNCH_PATIENT -> "Know which patient is selected";
            case LAUNCH_ENCOUNTER -> "Know which encounter is selected";
            case OPENID -> "Confirm your identity (sign-in with OpenID Connect)";
            case FHIR_USER -> "Know who you are (your FHIR user record)";
            case PROFILE -> "See your basic profile";
            case OFFLINE_ACCESS -> "Keep access when you are not using the app (until you revoke it)";
            case ONLINE_ACCESS -> "Keep access while you stay signed in";
            case RESOURCE -> describeResource();
        };
    }

    private String describeResource() {
        List<String> words = new ArrayList<>();
        for (Permission p : permissions) {
            words.add(p.word);
        }
        String verbs = words.size() == 1 ? words.get(0)
                : String.join(", ", words.subList(0, words.size() - 1)) + " and " + words.get(words.size() - 1);
        String what = isWildcardType() ? "all kinds of records" : resourceType + " records";
        String whose = switch (context) {
            case PATIENT -> "of the selected patient";
            case USER -> "that you are allowed to see";
            case SYSTEM -> "on the whole server";
        };
        String text = Character.toUpperCase(verbs.charAt(0)) + verbs.substring(1) + " " + what + " " + whose;
        if (!parameters.isEmpty()) {
            text += " (only where " + parameters.stream().map(p -> p.name() + " = " + p.value())
                    .collect(Collectors.joining(", ")) + ")";
        }
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmartScope s && s.raw.equals(raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(raw);
    }

    @Override
    public String toString() {
        return raw;
    }
}
