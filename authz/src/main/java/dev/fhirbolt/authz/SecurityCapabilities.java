package dev.fhirbolt.authz;

import dev.fhirbolt.auth.SmartSecurityInfo;
import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestSecurityComponent;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.UriType;

/**
 * {@code rest.security} of the CapabilityStatement: the SMART-on-FHIR service and the oauth-uris extension, or, in
 * development mode, a loud statement that nothing is protected.
 */
public final class SecurityCapabilities implements CapabilityContributor {

    static final String WARNING_EXTENSION = "https://fhirbolt.dev/StructureDefinition/development-mode";
    static final String DEV_TEXT = "DEVELOPMENT MODE: security is off. Every client can read and change every"
            + " resource without an access token. Never expose this server to real data or to a network.";

    private final SecurityMode mode;
    private final Function<String, SmartSecurityInfo> info;

    public SecurityCapabilities(SecurityMode mode, Function<String, SmartSecurityInfo> info) {
        this.mode = mode;
        this.info = info;
    }

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        CapabilityStatementRestSecurityComponent security = statement.getRestFirstRep().getSecurity();
        if (mode == SecurityMode.OFF) {
            security.setCors(true);
            security.setDescription(DEV_TEXT);
            security.addExtension(new Extension(WARNING_EXTENSION, new StringType(DEV_TEXT)));
            statement.setDescription(DEV_TEXT);
            return;
        }
        SmartSecurityInfo smart = info.apply(request.baseUrl());
        security.setCors(true);
        for (String code : smart.serviceCodes()) {
            security.addService(new CodeableConcept(new Coding(SmartSecurityInfo.SERVICE_SYSTEM, code, code))
                    .setText("OAuth2 using SMART-on-FHIR profile (see http://docs.smarthealthit.org)"));
        }
        Extension uris = new Extension(SmartSecurityInfo.OAUTH_URIS_EXTENSION);
        for (String[] pair : smart.extensionValues()) {
            uris.addExtension(new Extension(pair[0], new UriType(pair[1])));
        }
        security.addExtension(uris);
        security.setDescription(smart.description() + ". Every FHIR interaction needs a bearer access token;"
                + " scopes and the patient compartment are enforced.");
    }
}
