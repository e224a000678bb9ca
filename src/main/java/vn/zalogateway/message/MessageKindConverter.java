package vn.zalogateway.message;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a kind by its wire name, as the contract spells it ({@code zns_journey}). */
@Converter(autoApply = true)
public class MessageKindConverter implements AttributeConverter<MessageKind, String> {

    @Override
    public String convertToDatabaseColumn(MessageKind kind) {
        return kind == null ? null : kind.wireName();
    }

    @Override
    public MessageKind convertToEntityAttribute(String name) {
        return name == null ? null : MessageKind.fromWireName(name)
                .orElseThrow(() -> new IllegalStateException("messages.kind holds an unknown kind: " + name));
    }
}
