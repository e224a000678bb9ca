package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of eTelecom's GetShopOA; the int64 {@code oa_id} travels as a string, as in eTelecom's example. */
record GetShopOaCall(@JsonProperty("oa_id") String oaId) {
}
