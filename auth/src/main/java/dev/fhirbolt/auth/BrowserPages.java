package dev.fhirbolt.auth;

import java.time.Clock;

/**
 * The browser side of the authorization server, one class per page or endpoint: the authorization endpoint, the
 * flow page with sign-in, pickers and consent, the EHR launcher, sign-out and the user's app permissions. Their
 * markup is in the JTE templates under {@code auth/src/main/jte}, sent by {@link Pages}.
 */
record BrowserPages(AuthorizeEndpoint authorize, FlowPage flow, SignInPage signIn, ContextPicker picker,
        ConsentPage consent, EhrLauncher launcher, SignOutPage signOut, PermissionsPage permissions) {

    static BrowserPages create(AuthStore store, Clock clock, AdminService admin, Sessions sessions,
            TokenService tokens, Grants grants, PatientDirectory directory, AuthEvents events) {
        Flows flows = new Flows(store, clock);
        SignInPage signIn = new SignInPage(admin, sessions, flows, events);
        ContextPicker picker = new ContextPicker(admin, sessions, flows, directory);
        ConsentPage consent = new ConsentPage(admin, sessions, flows, tokens, directory, events);
        return new BrowserPages(new AuthorizeEndpoint(admin, flows),
                new FlowPage(admin, sessions, flows, signIn, picker, consent), signIn, picker, consent,
                new EhrLauncher(admin, sessions, directory), new SignOutPage(sessions),
                new PermissionsPage(admin, sessions, grants, events));
    }
}
