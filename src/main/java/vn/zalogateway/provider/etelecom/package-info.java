/** eTelecom: journey tokens for Zalo (CreateJourney), the ZNS journey messages sent with them (SendZNSJourney), an OA's quota (GetShopOA) and its ZNS templates (GetTemplate, ListTemplates). Only {@link vn.zalogateway.provider.etelecom.EtelecomClient} and the answers it gives are used outside. */
package vn.zalogateway.provider.etelecom;
