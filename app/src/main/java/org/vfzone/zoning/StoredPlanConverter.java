package org.vfzone.zoning;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import org.springframework.beans.factory.ObjectProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * A change set's stored plan as the JSON of its {@code plan} column. Hibernate makes it through Spring, so it writes
 * with the application's JSON mapper (a plain one where a test slice has none).
 */
@Converter
class StoredPlanConverter implements AttributeConverter<StoredPlan, String> {

    private final JsonMapper json;

    StoredPlanConverter(ObjectProvider<JsonMapper> json) {
        this.json = json.getIfAvailable(JsonMapper::new);
    }

    @Override
    public String convertToDatabaseColumn(StoredPlan plan) {
        return plan == null ? null : json.writeValueAsString(plan);
    }

    @Override
    public StoredPlan convertToEntityAttribute(String column) {
        return column == null ? null : json.readValue(column, StoredPlan.class);
    }
}
