package dev.fhirbolt.console;

import java.util.List;

/** What each template shows: plain data, computed by the page classes, type-checked against the templates. */
public final class Views {

    private Views() {
    }

    /** The frame around every page: title, the active menu entry, who is signed in, development mode. */
    public record Frame(String title, String active, String user, boolean secured) {

        public boolean devMode() {
            return !secured;
        }
    }

    public record Error(Frame frame, int status, String message, boolean signIn) {
    }

    public record Welcome(Frame frame, String next) {
    }

    /** A resource type with the number of resources the user can see (null: not counted in time). */
    public record TypeCount(String type, Long count, int barWidth) {
    }

    /** The dashboard's content (streamed after the frame). */
    public record Dashboard(List<TypeCount> counts, long total, String dataSize, String securityMode,
            List<String> warnings, String fhirBase, String scope, boolean pending, String rateSvg,
            String latencySvg, long requestsLastHour, List<EditViews.JobRow> jobs) {
    }

    /** One row of the search form: a parameter (with modifier or chain) and its value. */
    public record Criterion(String name, String value) {
    }

    public record ResultRow(String type, String id, String summary, String lastUpdated) {

        public String href() {
            return "/console/resource/" + type + "/" + id;
        }
    }

    /** The search page's content (streamed after the frame). */
    public record Search(List<String> types, String type, List<SearchParam> params,
            List<Criterion> criteria, String count, String sort, String typeUrl, String queryUrl, List<ResultRow> rows,
            String total, String previous, String next, String error) {

        /**
         * Results a page unless the query says {@code _count}: a screenful, cheaper to send and lay out than the
         * server's default of 50. No {@code _elements}: stored JSON is sent as it is, re-encoding it costs more.
         */
        public static final int PAGE_SIZE = 20;
    }

    public record HistoryRow(String versionId, String lastUpdated, String method, String href) {
    }

    /**
     * @param narrativeHtml the narrative, sanitized by {@link Narratives}, empty when there is none
     * @param xml           the resource as FHIR XML (to be escaped), null when the page shows the JSON
     */
    public record Resource(Frame frame, String type, String id, String versionId, String lastUpdated,
            String jsonHtml, List<HistoryRow> history, String fhirUrl, boolean patient, String historyError,
            String narrativeHtml, String narrativeStatus, String xml, String pageUrl) {
        /** The page listing what references this resource (fetched by the script after the view has painted). */
        public String referrersUrl() {
            return ReferrersPage.href(type, id);
        }
    }

    public record Raw(Frame frame, String fhirUrl, String jsonHtml) {
    }

    /** A line in the patient view: what, when, and the console link of the resource. */
    public record Item(String text, String when, String status, String href) {
    }

    public record Link(String text, String href) {
    }

    public record Chart(String title, String latest, String svg) {
    }

    /** The patient view's demographics, sent with the page's head. */
    public record Demographics(String id, String name, String gender, String birthDate, String address,
            String identifier) {
    }

    /**
     * The patient view's sections (streamed after the head, so without a frame); {@code note} says why they may be
     * incomplete, or is null.
     */
    public record Patient(String id, List<Item> conditions, List<Item> medications, List<Item> encounters,
            List<Chart> charts, List<Link> record, String note) {
    }

    public record TypeSupport(String type, String interactions, int searchParams, int operations) {
    }

    /** The capabilities page's content (streamed after the frame). */
    public record CapabilitiesView(String fhirUrl, String software, String fhirVersion, String formats,
            String security, List<TypeSupport> types) {
    }

    public record ClientRow(String clientId, String name, String type, String scope, String redirectUris) {
    }

    public record UserRow(String username, String name, String fhirUser, String state, boolean admin) {
    }

    public record Admin(Frame frame, List<ClientRow> clients, List<UserRow> users) {
    }

    /** @param withoutRole the signed-in user's name when they lack the admin role (a 403 page), else null */
    public record AdminSignIn(Frame frame, String csrf, String error, String withoutRole) {
    }

    /** One search parameter of a type, as the CapabilityStatement lists it. */
    public record SearchParam(String name, String type, String documentation) {

        /** The modifiers and prefixes this type of parameter takes, for the search form's hints. */
        public String hint() {
            return switch (type) {
                case "string" -> "modifiers :exact :contains :missing";
                case "token" -> "system|code; modifiers :not :text :in :not-in :above :below :missing";
                case "reference" -> "Type/id; modifiers :missing :identifier, chains like subject.name";
                case "date" -> "prefixes eq ne lt gt le ge sa eb ap, e.g. ge2020-01-01";
                case "number", "quantity" -> "prefixes eq ne lt gt le ge sa eb ap; quantity value|system|code";
                case "uri" -> "modifiers :below :above :missing";
                default -> "";
            };
        }
    }

    /** Resources that refer to {@code type/id} through one search parameter: how many, the first few, all of them. */
    public record ReferrerParam(String code, long total, List<Link> first, String seeAll) {
        public boolean more() {
            return total > first.size();
        }
    }

    /** The referrers of one type, by parameter; {@code total} the largest parameter's count. */
    public record ReferrerGroup(String type, long total, List<ReferrerParam> params) {
    }

    /** What references a resource. */
    public record Referrers(Frame frame, String type, String id, List<ReferrerGroup> groups, List<String> refused,
            int parameters, int searched) {
    }
}
