package dev.fhirbolt.terminology;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.ConceptMap.ConceptMapGroupComponent;
import org.hl7.fhir.r4.model.ConceptMap.SourceElementComponent;
import org.hl7.fhir.r4.model.ConceptMap.TargetElementComponent;

/** Translates a code with ConceptMaps: source to target, or target back to source ({@code reverse}). */
public final class ConceptMapTranslator {

    /** One translation: how it relates ({@code equivalence}), the code it leads to, and the map that says so. */
    public record Match(String equivalence, String system, String code, String display, String conceptMap) {
    }

    private ConceptMapTranslator() {
    }

    /**
     * The matches of {@code system}/{@code code} (a null system matches any) in the maps, restricted to
     * {@code targetSystem} when given.
     */
    public static List<Match> translate(List<ConceptMap> maps, String system, String code, String targetSystem,
            boolean reverse) {
        List<Match> out = new ArrayList<>();
        for (ConceptMap map : maps) {
            for (ConceptMapGroupComponent group : map.getGroup()) {
                String from = reverse ? group.getTarget() : group.getSource();
                String to = reverse ? group.getSource() : group.getTarget();
                if (system != null && from != null && !system.equals(from)
                        || targetSystem != null && to != null && !targetSystem.equals(to)) {
                    continue;
                }
                for (SourceElementComponent element : group.getElement()) {
                    for (TargetElementComponent target : element.getTarget()) {
                        String equivalence = target.hasEquivalence() ? target.getEquivalence().toCode() : "equivalent";
                        if (!reverse && code.equals(element.getCode())) {
                            out.add(new Match(equivalence, to, target.getCode(), target.getDisplay(), map.getUrl()));
                        } else if (reverse && code.equals(target.getCode())) {
                            out.add(new Match(reversed(equivalence), to, element.getCode(), element.getDisplay(),
                                    map.getUrl()));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static String reversed(String equivalence) {
        return switch (equivalence) {
            case "wider" -> "narrower";
            case "narrower" -> "wider";
            case "subsumes" -> "specializes";
            case "specializes" -> "subsumes";
            default -> equivalence;
        };
    }
}
