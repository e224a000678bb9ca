/** eTelecom: journey tokens for Zalo (CreateJourney) and the ZNS journey messages sent with them (SendZNSJourney). Only {@link vn.zalogateway.provider.etelecom.EtelecomClient} is used outside. */
package vn.zalogateway.provider.etelecom;
