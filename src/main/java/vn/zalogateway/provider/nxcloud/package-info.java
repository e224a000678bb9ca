/** NXCloud: Zalo delivery receipts. Only its code table lives here; receipts are read in the receipt feature. */
package vn.zalogateway.provider.nxcloud;
