/** eTelecom: journey tokens for Zalo (CreateJourney), the ZNS journey messages sent with them (SendZNSJourney), and an OA's quota (GetShopOA). Only {@link vn.zalogateway.provider.etelecom.EtelecomClient} is used outside. */
package vn.zalogateway.provider.etelecom;
