/** eTelecom: journey tokens for Zalo (CreateJourney). Only {@link vn.zalogateway.provider.etelecom.EtelecomClient} is used outside. */
package vn.zalogateway.provider.etelecom;
