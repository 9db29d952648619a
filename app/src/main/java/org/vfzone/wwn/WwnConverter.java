package org.vfzone.wwn;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link Wwn} in its canonical text form, which the {@code wwn} SQL domain checks. */
@Converter(autoApply = true)
public class WwnConverter implements AttributeConverter<Wwn, String> {

    @Override
    public String convertToDatabaseColumn(Wwn wwn) {
        return wwn == null ? null : wwn.toString();
    }

    @Override
    public Wwn convertToEntityAttribute(String text) {
        return text == null ? null : Wwn.parse(text);
    }
}
