package dev.fhirbolt.subscriptions;

import dev.fhirbolt.common.FhirException;
import dev.fhirbolt.common.IssueType;
import dev.fhirbolt.fhir.Fhir;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.subscriptions.SubscriptionSpec.ChannelType;
import dev.fhirbolt.subscriptions.SubscriptionSpec.Content;
import dev.fhirbolt.subscriptions.SubscriptionSpec.Status;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * Reads a Subscription (R4, or with the backport profile) into a {@link SubscriptionSpec}, refusing what cannot be
 * delivered with a 400: criteria with an unknown type or search parameter, or that cannot be evaluated against one
 * changed resource (chains, {@code _has}); a channel other than rest-hook and websocket; a bad endpoint.
 */
public final class SubscriptionReader {

    private final SearchEngine search;
    private final Audience unrecorded;

    /** {@code unrecorded}: the audience of a subscription with no recorded reach (nothing when security is on). */
    public SubscriptionReader(SearchEngine search, Audience unrecorded) {
        this.search = search;
        this.unrecorded = unrecorded;
    }

    public SubscriptionSpec read(Subscription s, long version) {
        String id = s.getIdElement().getIdPart();
        Status status = switch (s.getStatus() == null ? Subscription.SubscriptionStatus.REQUESTED : s.getStatus()) {
            case ACTIVE -> Status.ACTIVE;
            case ERROR -> Status.ERROR;
            case OFF -> Status.OFF;
            default -> Status.REQUESTED;
        };
        String criteriaText = s.getCriteria();
        if (criteriaText == null || criteriaText.isBlank()) {
            throw invalid("Subscription.criteria is required");
        }
        Optional<String> topic = Optional.empty();
        Criteria criteria;
        boolean backport = s.getMeta().hasProfile(Backport.SUBSCRIPTION_PROFILE) || criteriaText.trim().matches("(?i)https?://.*");
        if (backport) {
            topic = Optional.of(criteriaText.trim());
            if (!criteriaText.startsWith(Backport.TOPIC_BASE)) {
                throw invalid("unknown SubscriptionTopic '" + criteriaText + "': this server's topics are "
                        + Backport.TOPIC_BASE + "[resource type] (any create, update or delete of that type)");
            }
            String type = criteriaText.substring(Backport.TOPIC_BASE.length()).trim();
            criteria = filter(type, s.getCriteriaElement().getExtensionsByUrl(Backport.FILTER_CRITERIA));
        } else {
            criteria = Criteria.parse(criteriaText);
        }
        check(criteria);
        Subscription.SubscriptionChannelComponent ch = s.getChannel();
        ChannelType channel = switch (ch.getType() == null ? Subscription.SubscriptionChannelType.NULL : ch.getType()) {
            case RESTHOOK -> ChannelType.REST_HOOK;
            case WEBSOCKET -> ChannelType.WEBSOCKET;
            default -> throw new FhirException(400, IssueType.NOT_SUPPORTED, "Subscription.channel.type '"
                    + (ch.getType() == null ? "" : ch.getType().toCode())
                    + "' is not supported here: use rest-hook or websocket");
        };
        String endpoint = ch.getEndpoint() == null ? "" : ch.getEndpoint().trim();
        if (channel == ChannelType.REST_HOOK) {
            checkEndpoint(endpoint);
        }
        List<String> headers = new ArrayList<>();
        for (StringType h : ch.getHeader()) {
            String value = h.getValue();
            if (value == null || value.indexOf(':') <= 0 || value.contains("\n") || value.contains("\r")) {
                throw invalid("Subscription.channel.header '" + value + "' is not 'Name: value'");
            }
            String name = value.substring(0, value.indexOf(':')).trim();
            if (!dev.fhirbolt.subscriptions.channel.RestHookChannel.sendable(name,
                    value.substring(value.indexOf(':') + 1).trim())) {
                throw invalid("Subscription.channel.header '" + name + "' cannot be sent: a header name is a token,"
                        + " and Host, Content-Length, Connection, Expect, Upgrade, Transfer-Encoding, TE, Keep-Alive and"
                        + " Trailer belong to the HTTP exchange");
            }
            headers.add(value);
        }
        Optional<String> payload = Optional.ofNullable(ch.getPayload()).filter(p -> !p.isBlank());
        if (payload.isPresent() && !payload.get().toLowerCase(Locale.ROOT).contains("json")) {
            throw new FhirException(400, IssueType.NOT_SUPPORTED, "Subscription.channel.payload '" + payload.get()
                    + "' is not supported here: use application/fhir+json, or leave it out for no payload");
        }
        Content content = content(ch, topic.isPresent(), payload.isPresent());
        int heartbeat = unsigned(ch, Backport.HEARTBEAT_PERIOD, 0);
        int timeout = unsigned(ch, Backport.TIMEOUT, 10);
        int maxCount = unsigned(ch, Backport.MAX_COUNT, 100);
        if (timeout < 1 || timeout > 120 || maxCount < 1 || heartbeat > 86_400) {
            throw invalid("backport timeout must be 1..120 s, max-count at least 1, heartbeat period at most a day");
        }
        return new SubscriptionSpec(id, version, status, topic, criteria, channel, endpoint, List.copyOf(headers),
                payload, content, heartbeat, timeout, maxCount, audience(s));
    }

    /** The creator's read grants recorded on the resource; none recorded: {@code fallback}. */
    static Audience audience(Subscription s, Audience fallback) {
        List<Extension> found = s.getExtensionsByUrl(Backport.REACH);
        if (found.isEmpty()) {
            return fallback;
        }
        List<Audience.Reach> reaches = new ArrayList<>();
        for (Extension e : found) {
            if (e.getValue() instanceof PrimitiveType<?> p && p.getValueAsString() != null) {
                reaches.add(Audience.Reach.decode(p.getValueAsString()));
            }
        }
        return new Audience(reaches);
    }

    private Audience audience(Subscription s) {
        return audience(s, unrecorded);
    }

    private Criteria filter(String type, List<Extension> filters) {
        Map<String, List<String>> params = new java.util.LinkedHashMap<>();
        for (Extension e : filters) {
            String text = e.getValue() == null ? "" : e.getValue().primitiveValue();
            if (text == null || text.isBlank()) {
                continue;
            }
            boolean bareQuery = !text.contains("?") && text.contains("=");
            Criteria c = Criteria.parse(bareQuery ? type + "?" + text : text);
            if (!c.type().equals(type)) {
                throw invalid("backport filter criteria '" + text + "' is for " + c.type() + ", the topic for "
                        + type);
            }
            c.params().forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return new Criteria(type, params);
    }

    /** Unknown type or parameter, or criteria the in-memory matcher cannot evaluate: 400. */
    void check(Criteria criteria) {
        if (!Fhir.isResourceType(criteria.type())) {
            throw invalid("Subscription.criteria: unknown resource type '" + criteria.type() + "'");
        }
        for (String name : criteria.params().keySet()) {
            String code = name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
            if (code.contains(".") || name.startsWith("_has")) {
                throw new FhirException(400, IssueType.NOT_SUPPORTED, "Subscription.criteria: '" + name
                        + "' (chains and _has) cannot be evaluated on a changed resource; subscribe without it");
            }
            if (search.registry().find(criteria.type(), code).isEmpty()) {
                throw invalid("Subscription.criteria: unknown search parameter '" + name + "' for "
                        + criteria.type());
            }
        }
        Resource probe = (Resource) Fhir.context().getResourceDefinition(criteria.type()).newInstance();
        probe.setId("probe");
        if (search.matchesInMemory(probe, criteria.params()).isEmpty()) {
            throw new FhirException(400, IssueType.NOT_SUPPORTED, "Subscription.criteria '" + criteria.params()
                    + "' cannot be evaluated on a changed resource (a modifier, value or parameter this server"
                    + " only supports in searches)");
        }
    }

    private static Content content(Subscription.SubscriptionChannelComponent ch, boolean topic, boolean payload) {
        List<Extension> ext = ch.getPayloadElement().getExtensionsByUrl(Backport.PAYLOAD_CONTENT);
        if (ext.isEmpty()) {
            return topic ? (payload ? Content.ID_ONLY : Content.EMPTY) : (payload ? Content.FULL_RESOURCE
                    : Content.EMPTY);
        }
        String code = ext.get(0).getValue() == null ? "" : ext.get(0).getValue().primitiveValue();
        for (Content c : Content.values()) {
            if (c.code().equals(code)) {
                return c;
            }
        }
        throw invalid("backport payload content '" + code + "' is not empty, id-only or full-resource");
    }

    private static int unsigned(Subscription.SubscriptionChannelComponent ch, String url, int fallback) {
        List<Extension> ext = ch.getExtensionsByUrl(url);
        if (ext.isEmpty() || ext.get(0).getValue() == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(ext.get(0).getValue().primitiveValue());
        } catch (NumberFormatException e) {
            throw invalid(url + " must be a whole number");
        }
    }

    private static void checkEndpoint(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw invalid("Subscription.channel.endpoint '" + endpoint + "' is not an http(s) URL");
            }
        } catch (java.net.URISyntaxException e) {
            throw invalid("Subscription.channel.endpoint '" + endpoint + "' is not a URL");
        }
    }

    private static FhirException invalid(String message) {
        return new FhirException(400, IssueType.INVALID, message);
    }
}
