package dev.fhirbolt.search.index;

import java.util.Map;
import java.util.Optional;

/**
 * A small UCUM table: common units converted to one canonical unit per dimension, so that 1000 mg finds 1 g. Units
 * outside the table are compared only with the same unit.
 */
public final class Ucum {

    public static final String SYSTEM = "http://unitsofmeasure.org";

    /** A value in the canonical unit of its dimension. */
    public record Canonical(String unit, double value) {
    }

    private record Factor(String unit, double factor) {
    }

    private static final Map<String, Factor> UNITS = Map.ofEntries(
            Map.entry("kg", new Factor("g", 1000)), Map.entry("g", new Factor("g", 1)),
            Map.entry("mg", new Factor("g", 1e-3)), Map.entry("ug", new Factor("g", 1e-6)),
            Map.entry("ng", new Factor("g", 1e-9)), Map.entry("[lb_av]", new Factor("g", 453.59237)),
            Map.entry("[oz_av]", new Factor("g", 28.349523125)),
            Map.entry("km", new Factor("m", 1000)), Map.entry("m", new Factor("m", 1)),
            Map.entry("cm", new Factor("m", 0.01)), Map.entry("mm", new Factor("m", 0.001)),
            Map.entry("[in_i]", new Factor("m", 0.0254)), Map.entry("[ft_i]", new Factor("m", 0.3048)),
            Map.entry("L", new Factor("L", 1)), Map.entry("l", new Factor("L", 1)),
            Map.entry("dL", new Factor("L", 0.1)), Map.entry("mL", new Factor("L", 1e-3)),
            Map.entry("uL", new Factor("L", 1e-6)),
            Map.entry("s", new Factor("s", 1)), Map.entry("min", new Factor("s", 60)),
            Map.entry("h", new Factor("s", 3600)), Map.entry("d", new Factor("s", 86400)),
            Map.entry("wk", new Factor("s", 604800)), Map.entry("ms", new Factor("s", 1e-3)),
            Map.entry("mg/dL", new Factor("g/L", 0.01)), Map.entry("g/dL", new Factor("g/L", 10)),
            Map.entry("g/L", new Factor("g/L", 1)), Map.entry("mg/L", new Factor("g/L", 1e-3)),
            Map.entry("mmol/L", new Factor("mol/L", 1e-3)), Map.entry("mol/L", new Factor("mol/L", 1)),
            Map.entry("umol/L", new Factor("mol/L", 1e-6)),
            Map.entry("mm[Hg]", new Factor("mm[Hg]", 1)), Map.entry("kg/m2", new Factor("kg/m2", 1)),
            Map.entry("/min", new Factor("/s", 1.0 / 60)), Map.entry("/s", new Factor("/s", 1)));

    private Ucum() {
    }

    public static Optional<Canonical> canonical(String system, String code, double value) {
        if (!SYSTEM.equals(system) || code == null) {
            return Optional.empty();
        }
        Factor f = UNITS.get(code);
        return f == null ? Optional.empty() : Optional.of(new Canonical(f.unit(), value * f.factor()));
    }
}
