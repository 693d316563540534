package dev.fhirbolt.search.index;

import java.util.List;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.r4.model.Location;

/** Location.near: the position as latitude and longitude. */
public final class NearValues implements ValueEncoder {

    @Override
    public void encode(IBase element, List<byte[]> out) {
        if (element instanceof Location.LocationPositionComponent p && p.hasLatitude() && p.hasLongitude()) {
            byte[] v = new byte[17];
            v[0] = Encoded.POSITION;
            Encoded.putLong(v, 1, Encoded.sortableDouble(p.getLatitude().doubleValue()));
            Encoded.putLong(v, 9, Encoded.sortableDouble(p.getLongitude().doubleValue()));
            out.add(v);
        }
    }
}
