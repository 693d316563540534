package dev.fhirbolt.rest.search;

import dev.fhirbolt.rest.CapabilityContributor;
import dev.fhirbolt.rest.FhirRequest;
import dev.fhirbolt.search.SearchEngine;
import dev.fhirbolt.search.SupportedParam;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Enumerations;

/** Lists, for each resource type the statement declares, the search parameters the engine really answers. */
public final class SearchCapabilities implements CapabilityContributor {

    static final String SORTING = "_sort: by _id, _lastUpdated or one date, number, quantity, string, token or uri "
            + "parameter, a search reads its page in sort order from the index, whatever the number of matches. Other "
            + "sorts (reference parameters, several parameters, several types) and previous-page links read every "
            + "match and keep the page in memory; they answer 400 (too-costly) past "
            + String.format(java.util.Locale.ROOT, "%,d", SearchEngine.IN_MEMORY_SORT_LIMIT)
            + " matches. Resources without a value sort last in either direction; ties go by type and id.";

    private final SearchEngine engine;

    public SearchCapabilities(SearchEngine engine) {
        this.engine = engine;
    }

    @Override
    public void contribute(CapabilityStatement statement, FhirRequest request) {
        for (CapabilityStatement.CapabilityStatementRestComponent rest : statement.getRest()) {
            rest.setDocumentation((rest.hasDocumentation() ? rest.getDocumentation() + "\n\n" : "") + SORTING);
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
