import { findUpstreamOrderByPublicId } from '../../activations/activations.repository.js';
import { findEmailUpstreamOrder } from '../../emails/email-sandbox-resolver.js';
import { rentalOrderResolver } from '../../rentals/rental-sandbox-resolver.js';
import type { UpstreamOrderResolver } from './deliver.js';

/** How `otpget sandbox deliver <id>` finds an order: one resolver per product line. */
export const upstreamOrderResolvers: UpstreamOrderResolver[] = [
  // SMS OTP and cheap-number activations, by their public id.
  findUpstreamOrderByPublicId,
  // Temp email orders, by email_id.
  findEmailUpstreamOrder,
  // Rentals, by order_id.
  rentalOrderResolver,
];
