package dev.fhirbolt.rest.search;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SupportedParam;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;

/** Lists, for each resource type the statement declares, the search parameters the engine really answers. */
public final class SearchCapabilities implements CapabilityContributor {

    private final SearchEngine engine;

    public SearchCapabilities(SearchEngine engine) {
        this.engine = engine;
    }

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            for (CapabilityStatement.CapabilityStatementRestResourceComponent resource : rest.getResource()) {
                resource.getSearchParam().clear();
                for (SupportedParam p : engine.supportedParams(resource.getType())) {
                    resource.addSearchParam().setName(p.name()).setDefinition(p.definition())
                            .setType(Enumerations.SearchParamType.fromCode(p.type()))
                            .setDocumentation(p.documentation().isEmpty() ? null : p.documentation());
                }
                resource.getSearchInclude().clear();
                resource.addSearchInclude("*");
                resource.getSearchRevInclude().clear();
                resource.addSearchRevInclude("*");
            }
        }
    }
}
