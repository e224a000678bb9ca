package vn.zalogateway.journey.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.validation.Int64Id;
import vn.zalogateway.common.validation.VietnameseMobile;
import vn.zalogateway.journey.NewJourney;
import vn.zalogateway.journey.TokenType;

/** {@code POST /v1/journeys}. {@code oa_id} may come as a string of digits (as eTelecom sends it) or a number. */
public record CreateJourneyRequest(
        @NotBlank(message = "is required") @Int64Id String oaId,
        @NotBlank(message = "is required") @VietnameseMobile String phone,
        @Pattern(regexp = TokenType.PATTERN, message = TokenType.MESSAGE) String tokenType) {

    /** Call once validation passed. */
    public NewJourney toNewJourney() {
        TokenType type = tokenType == null ? TokenType.DEFAULT : TokenType.fromWireName(tokenType).orElseThrow();
        return new NewJourney(Int64Ids.parse(oaId).orElseThrow(), PhoneNumbers.normalise(phone).orElseThrow(), type);
    }
}
