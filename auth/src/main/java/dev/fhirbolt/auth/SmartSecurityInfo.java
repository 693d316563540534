package dev.fhirbolt.auth;

import java.util.List;

/**
 * What the CapabilityStatement's {@code rest.security} needs: the SMART service codes and the
 * {@code http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris} extension values, all absolute.
 *
 * @param serviceCodes  codes of {@code http://terminology.hl7.org/CodeSystem/restful-security-service}
 *                      (always {@code SMART-on-FHIR})
 * @param authorize     the authorization endpoint
 * @param token         the token endpoint
 * @param register      the dynamic registration endpoint
 * @param manage        the page where users review and revoke their app approvals
 * @param introspect    the token introspection endpoint
 * @param revoke        the token revocation endpoint
 * @param description   a one-line text for {@code security.description}
 */
public record SmartSecurityInfo(List<String> serviceCodes, String authorize, String token, String register,
        String manage, String introspect, String revoke, String description) {

    public static final String OAUTH_URIS_EXTENSION =
            "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";
    public static final String SERVICE_SYSTEM = "http://terminology.hl7.org/CodeSystem/restful-security-service";

    /** The (url, valueUri) pairs of the oauth-uris extension, in the IG's order. */
    public List<String[]> extensionValues() {
        return List.of(new String[] {"authorize", authorize}, new String[] {"token", token},
                new String[] {"register", register}, new String[] {"manage", manage},
                new String[] {"introspect", introspect}, new String[] {"revoke", revoke});
    }
}
