package dev.fhirbolt.app;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.validation.ConformanceSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Lists the profiles the server holds (posted or installed from packages) as {@code supportedProfile} of the types they
 * constrain.
 */
final class ProfileCapabilities implements CapabilityContributor {

    private final ConformanceSource profiles;

    ProfileCapabilities(ConformanceSource profiles) {
        this.profiles = profiles;
    }

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        Map<String, TreeSet<String>> byType = new TreeMap<>();
        for (StructureDefinition sd : profiles.structureDefinitions()) {
            if (sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                    && sd.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT && !sd.getAbstract()) {
                byType.computeIfAbsent(sd.getType(), t -> new TreeSet<>()).add(sd.getUrl());
            }
        }
        for (var rest : statement.getRest()) {
            for (var resource : rest.getResource()) {
                for (String url : byType.getOrDefault(resource.getType(), new TreeSet<>())) {
                    resource.addSupportedProfile(url);
                }
            }
        }
    }
}
