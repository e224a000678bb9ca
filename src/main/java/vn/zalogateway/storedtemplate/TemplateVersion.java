package vn.zalogateway.storedtemplate;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One version of a stored template, as saved: immutable, so it may be kept in memory for as long as one likes.
 * {@code elements} and {@code buttons} (null: none) still hold their {@code {{placeholder}}} marks; {@code placeholders}
 * maps each name to its max_length, in the order declared. Nobody changes the nodes: filling makes copies.
 */
public record TemplateVersion(UUID id, UUID templateId, String name, int version, String templateType, String language,
        JsonNode elements, JsonNode buttons, Map<String, Integer> placeholders, Instant createdAt) {

    public TemplateVersion {
        placeholders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(placeholders));
    }
}
