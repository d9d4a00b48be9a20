import type { UpstreamOrderResolver } from './deliver.js';

/** How `otpget sandbox deliver <id>` finds an order: one resolver per product line. */
export const upstreamOrderResolvers: UpstreamOrderResolver[] = [];
