import { findUpstreamOrderByPublicId } from './activations/activations.repository.js';
import { findEmailUpstreamOrder } from './emails/email-sandbox-resolver.js';
import type { UpstreamOrderResolver } from './providers/sandbox/deliver.js';
import { rentalOrderResolver } from './rentals/rental-sandbox-resolver.js';

/**
 * How `otpget sandbox deliver <id>` finds an order: one resolver per product line. It names every
 * line, so it sits with the composition (beside app.ts), not in providers/.
 */
export const upstreamOrderResolvers: UpstreamOrderResolver[] = [
  // SMS OTP and cheap-number activations, by their public id.
  findUpstreamOrderByPublicId,
  // Temp email orders, by email_id.
  findEmailUpstreamOrder,
  // Rentals, by order_id.
  rentalOrderResolver,
];
