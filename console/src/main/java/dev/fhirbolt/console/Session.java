package dev.fhirbolt.console;

import java.time.Instant;

/** One signed-in browser: its tokens (kept on the server only) and who the user is. Mutable under its own lock. */
final class Session {

    final String id;
    volatile Instant lastSeen;
    private String pendingState;
    private String pendingVerifier;
    private String pendingNext;
    private String accessToken;
    private String refreshToken;
    private Instant accessExpires;
    private User user;
    private String adminAuthorization;
    private boolean adminRole;
    final String csrf = Secure.random(24);

    Session(String id, Instant now) {
        this.id = id;
        this.lastSeen = now;
    }

    /** Who signed in, from the id token, and what the token grants. */
    record User(String name, String fhirUser, String scope) {
    }

    synchronized void pending(String state, String verifier, String next) {
        this.pendingState = state;
        this.pendingVerifier = verifier;
        this.pendingNext = next;
    }

    /** The PKCE verifier and next page of the sign-in this state started, once; null when the state is not ours. */
    synchronized String[] takePending(String state) {
        if (pendingState == null || state == null || !Secure.equal(pendingState, state)) {
            return null;
        }
        String[] out = {pendingVerifier, pendingNext};
        pendingState = null;
        pendingVerifier = null;
        pendingNext = null;
        return out;
    }

    synchronized void signedIn(String access, String refresh, Instant expires, User who) {
        this.accessToken = access;
        this.refreshToken = refresh == null ? this.refreshToken : refresh;
        this.accessExpires = expires;
        if (who != null) {
            this.user = who;
        }
    }

    synchronized void signOut() {
        accessToken = null;
        refreshToken = null;
        accessExpires = null;
        user = null;
        adminAuthorization = null;
        adminRole = false;
    }

    synchronized boolean isSignedIn() {
        return user != null && (accessToken != null || refreshToken != null);
    }

    synchronized String accessToken() {
        return accessToken;
    }

    synchronized String refreshToken() {
        return refreshToken;
    }

    synchronized boolean accessExpired(Instant now) {
        return accessToken == null || accessExpires == null || !now.isBefore(accessExpires.minusSeconds(10));
    }

    /** The admin credentials (an Authorization header value) once they have been checked, else null. */
    synchronized String adminAuthorization() {
        return adminAuthorization;
    }

    synchronized void admin(String authorization) {
        this.adminAuthorization = authorization;
    }

    /** Whether the admin API accepted the user's own token: their account has the admin role. */
    synchronized boolean adminRole() {
        return adminRole;
    }

    synchronized void adminRole(boolean has) {
        this.adminRole = has;
    }

    synchronized User user() {
        return user;
    }
}
