package dev.fhirbolt.console;

/**
 * How the console is set up.
 *
 * @param secured  true when the FHIR API demands SMART tokens: the console then signs its users in
 * @param clientId the console's registration with the SMART server (a public client using PKCE)
 * @param scope    what it asks for at sign-in
 * @param stateDir where the console keeps its lists of loads and exports across restarts; null: in memory only
 */
public record ConsoleSettings(boolean secured, String clientId, String scope, java.nio.file.Path stateDir) {

    public static final String CLIENT_ID = "fhirbolt-console";
    public static final String SCOPE = "openid fhirUser profile offline_access user/*.cruds";
    /** Where the SMART server sends the browser back to, below the base URL. */
    public static final String CALLBACK = "/console/callback";

    public static ConsoleSettings of(boolean secured) {
        return new ConsoleSettings(secured, CLIENT_ID, SCOPE, null);
    }

    /** These settings with the lists of loads and exports kept in {@code dir} (e.g. {@code <data-dir>/console}). */
    public ConsoleSettings withStateDir(java.nio.file.Path dir) {
        return new ConsoleSettings(secured, clientId, scope, dir);
    }
}
