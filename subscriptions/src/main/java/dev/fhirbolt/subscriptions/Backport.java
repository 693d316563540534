package dev.fhirbolt.subscriptions;

/** The URLs of the Subscriptions R5 Backport IG (hl7.org/fhir/uv/subscriptions-backport) this module reads and writes. */
public final class Backport {

    private static final String SD = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";

    public static final String SUBSCRIPTION_PROFILE = SD + "backport-subscription";
    public static final String STATUS_PROFILE = SD + "backport-subscription-status-r4";
    public static final String FILTER_CRITERIA = SD + "backport-filter-criteria";
    public static final String HEARTBEAT_PERIOD = SD + "backport-heartbeat-period";
    public static final String TIMEOUT = SD + "backport-timeout";
    public static final String MAX_COUNT = SD + "backport-max-count";
    public static final String PAYLOAD_CONTENT = SD + "backport-payload-content";

    /** Where Fhirbolt records the creator's read grants on a Subscription (see {@link Audience}). */
    public static final String REACH = "http://fhirbolt.dev/StructureDefinition/subscription-reach";

    /** The built-in topics: {@code TOPIC_BASE + type}, any create, update or delete of that type. */
    public static final String TOPIC_BASE = "http://fhirbolt.dev/SubscriptionTopic/";

    /** The CapabilityStatement extension naming the websocket endpoint (R4). */
    public static final String WEBSOCKET_EXTENSION = "http://hl7.org/fhir/StructureDefinition/capabilitystatement-websocket";

    /** The CapabilityStatement extension (on rest.resource Subscription) naming a supported topic (backport, R4). */
    public static final String TOPIC_CANONICAL_EXTENSION = SD + "capabilitystatement-subscriptiontopic-canonical";

    private Backport() {
    }
}
