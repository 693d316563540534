package dev.fhirbolt.auth;

/** The kinds of apps the server registers, after the SMART client capabilities. */
public enum ClientType {
    /** A browser or native app without a secret: client_id plus PKCE. Authorization code flow. */
    PUBLIC("none"),
    /** An app with a client secret (client_secret_basic or client_secret_post). Authorization code flow. */
    CONFIDENTIAL_SYMMETRIC("client_secret_basic"),
    /** An app authenticating with a signed JWT (private_key_jwt, RS384/ES384). Authorization code flow. */
    CONFIDENTIAL_ASYMMETRIC("private_key_jwt"),
    /** A SMART Backend Services client: client_credentials with private_key_jwt and system/ scopes. */
    BACKEND_SERVICE("private_key_jwt");

    private final String authMethod;

    ClientType(String authMethod) {
        this.authMethod = authMethod;
    }

    /** The RFC 7591 token_endpoint_auth_method of this type. */
    public String authMethod() {
        return authMethod;
    }

    public boolean usesKeys() {
        return this == CONFIDENTIAL_ASYMMETRIC || this == BACKEND_SERVICE;
    }

    public boolean isConfidential() {
        return this != PUBLIC;
    }
}
