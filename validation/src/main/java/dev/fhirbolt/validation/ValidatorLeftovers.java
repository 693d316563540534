package dev.fhirbolt.validation;

import java.lang.reflect.Field;
import java.util.Collection;
import java.util.Optional;
import org.hl7.fhir.validation.instance.InstanceValidator;

/**
 * What a reused HAPI {@link InstanceValidator} keeps of the resources it validated, and how to drop it.
 *
 * <p>HAPI builds a new validator per resource, so it never clears the list its coding observer fills: every coded
 * element validated adds an entry holding that element's node stack, and with it the whole parsed resource (about
 * 200 KB per Synthea Patient). A pooled validator would grow without bound, and the heap with it, until the garbage
 * collector runs all the time. The list is private to HAPI (only read for IPS checks, which are off); this class
 * finds it once by reflection and empties it after each use. If a HAPI version moves it, {@link #clearable()} is
 * false and {@link HapiValidator} replaces its validators after a few uses instead.
 */
final class ValidatorLeftovers {

    private static final Optional<Field[]> PATH = find();

    private ValidatorLeftovers() {
    }

    static boolean clearable() {
        return PATH.isPresent();
    }

    /** Empties the coding observer's list; false when it could not (the validator must then not be reused long). */
    static boolean clear(InstanceValidator validator) {
        if (PATH.isEmpty()) {
            return false;
        }
        try {
            Object observer = PATH.get()[0].get(validator);
            if (observer != null && PATH.get()[1].get(observer) instanceof Collection<?> list) {
                list.clear();
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    private static Optional<Field[]> find() {
        try {
            Field observer = InstanceValidator.class.getDeclaredField("codingObserver");
            observer.setAccessible(true);
            Field list = observer.getType().getDeclaredField("list");
            list.setAccessible(true);
            if (!Collection.class.isAssignableFrom(list.getType())) {
                return Optional.empty();
            }
            return Optional.of(new Field[] {observer, list});
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
