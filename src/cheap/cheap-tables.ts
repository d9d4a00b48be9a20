import type { Generated } from 'kysely';

/**
 * A cheap-number server: one thing a customer can buy on /stubs/cheap_handler.php (`server` +
 * `type`), with its PKR price and the upstream that supplies its numbers. Ids are global, so a
 * server id names one server whatever its type.
 */
export interface CheapServersTable {
  id: Generated<number>;
  /** The reference's `type` parameter: 1 or 2. */
  type: number;
  /** What getServers shows, e.g. "Pakistan - Server 2". */
  name: string;
  /** What getServices shows before the price, e.g. "Pakistan Server 2". */
  service_name: string;
  /** Paisa; 0 is a free server. */
  price_paisa: number;
  /** An `sms` upstream: the sandbox, an SMS-Activate-protocol provider or the own SIM pool. */
  upstream_id: number;
  /** The upstream's own country and service codes for the purchase. */
  upstream_country: string;
  upstream_service: string;
  /** 0 hides the server from the lists and answers NO_NUMBERS to purchases. */
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface CheapTables {
  cheap_servers: CheapServersTable;
}
