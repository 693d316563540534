package dev.fhirbolt.search.index;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Timing;

/** Date parameters: every value is the range of instants it covers (a Period open at an end is open there). */
public final class DateValues implements ValueEncoder {

    private static final byte[] NO_PREFIX = new byte[0];

    @Override
    public void encode(IBase element, List<byte[]> out) {
        switch (element) {
            case BaseDateTimeType date when date.getValueAsString() != null -> add(range(date), out);
            case Period period -> {
                long low = period.hasStart() ? range(period.getStartElement()).low() : DateRange.MIN;
                long high = period.hasEnd() ? range(period.getEndElement()).high() : DateRange.MAX;
                if (period.hasStart() || period.hasEnd()) {
                    add(new DateRange(low, Math.max(low, high)), out);
                }
            }
            case Timing timing -> timing(timing, out);
            default -> {
            }
        }
    }

    private static void timing(Timing timing, List<byte[]> out) {
        long low = Long.MAX_VALUE;
        long high = Long.MIN_VALUE;
        for (DateTimeType event : timing.getEvent()) {
            if (event.getValueAsString() != null) {
                DateRange r = range(event);
                low = Math.min(low, r.low());
                high = Math.max(high, r.high());
            }
        }
        if (low <= high) {
            add(new DateRange(low, high), out);
        } else if (timing.hasRepeat() && timing.getRepeat().hasBoundsPeriod()) {
            new DateValues().encode(timing.getRepeat().getBoundsPeriod(), out);
        }
    }

    private static DateRange range(BaseDateTimeType date) {
        return DateRange.parse(date.getValueAsString());
    }

    public static void add(DateRange range, List<byte[]> out) {
        for (byte[] entry : Encoded.range(NO_PREFIX, range.low(), range.high())) {
            out.add(entry);
        }
    }
}
