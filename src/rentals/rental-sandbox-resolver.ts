import type { UpstreamOrderResolver } from '../providers/sandbox/deliver.js';
import { findRentalByOrderId } from './rentals.repository.js';

/** `otpget sandbox deliver <order_id> <text>` on a rental: its order id leads to the upstream rental. */
export const rentalOrderResolver: UpstreamOrderResolver = async (db, publicId) => {
  if (!/^\d{1,30}$/.test(publicId)) return null;
  const rental = await findRentalByOrderId(db, publicId);
  if (!rental?.upstreamOrderId) return null;
  return { upstreamId: rental.upstreamId, upstreamOrderId: rental.upstreamOrderId };
};
