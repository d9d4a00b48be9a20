import { contractHandler } from '../http/contract/contract-route.js';
import { ADMIN_ROUTES } from './contract/routes.js';

/** Registers a console API route's handler against its contract (contract/routes.ts). */
export const handle = contractHandler(ADMIN_ROUTES);
