package dev.fhirbolt.subscriptions;

import java.util.List;
import java.util.Optional;

/**
 * One Subscription as delivery needs it, read from the stored resource ({@link SubscriptionReader}).
 *
 * @param topic the topic canonical of a topic-based (backport) subscription; empty for an R4 criteria one
 * @param criteria what matches: the R4 criteria, or the topic's type narrowed by the backport filter criteria
 * @param payload the R4 payload MIME type; empty: notifications carry no body
 */
public record SubscriptionSpec(String id, long version, Status status, Optional<String> topic, Criteria criteria,
        ChannelType channel, String endpoint, List<String> headers, Optional<String> payload, Content content,
        int heartbeatSeconds, int timeoutSeconds, int maxCount, Audience audience) {

    public enum Status {
        REQUESTED("requested"), ACTIVE("active"), ERROR("error"), OFF("off");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public enum ChannelType {
        REST_HOOK, WEBSOCKET
    }

    /** The backport's payload content: what an event notification carries. */
    public enum Content {
        EMPTY("empty"), ID_ONLY("id-only"), FULL_RESOURCE("full-resource");

        private final String code;

        Content(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public boolean topicBased() {
        return topic.isPresent();
    }

    /** Same delivery settings (what a status change written by the server leaves alone). */
    public boolean sameDelivery(SubscriptionSpec other) {
        return topic.equals(other.topic) && criteria.equals(other.criteria) && channel == other.channel
                && endpoint.equals(other.endpoint) && headers.equals(other.headers) && payload.equals(other.payload)
                && content == other.content && heartbeatSeconds == other.heartbeatSeconds
                && timeoutSeconds == other.timeoutSeconds && maxCount == other.maxCount
                && audience.equals(other.audience);
    }
}
