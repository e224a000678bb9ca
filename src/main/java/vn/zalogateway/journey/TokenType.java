package vn.zalogateway.journey;

import java.util.Arrays;
import java.util.Optional;

/** eTelecom's token types: two industries, valid 7 or 30 days; {@code unknown} is passed through as eTelecom accepts it. */
public enum TokenType {
    UNKNOWN("unknown"),
    LOGISTICS_7("token_logistics_7"),
    LOGISTICS_30("token_logistics_30"),
    COACH_BUS_7("token_coach_bus_7"),
    COACH_BUS_30("token_coach_bus_30");

    /** What eTelecom assumes when the field is absent, and so do we. */
    public static final TokenType DEFAULT = LOGISTICS_7;

    public static final String PATTERN = "unknown|token_logistics_7|token_logistics_30|token_coach_bus_7|token_coach_bus_30";
    public static final String MESSAGE = "must be one of: token_logistics_7, token_logistics_30, token_coach_bus_7, "
            + "token_coach_bus_30, unknown";

    private final String wireName;

    TokenType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<TokenType> fromWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }
}
