import { coreMigration } from './0001-core.js';
import { sandboxUpstreamsMigration } from './0002-sandbox-upstreams.js';
import { upstreamPushTokenMigration } from './0003-upstream-push-token.js';
import { activationsMigration } from './0100-activations.js';
import { smsCatalogMigration } from './0101-sms-catalog.js';
import { smsRoutesMigration } from './0102-sms-routes.js';
import { smsCatalogueImportsMigration } from './0103-sms-catalogue-imports.js';
import { catalogueImportsMigration } from './0104-catalogue-imports.js';
import { cheapServersMigration } from './0200-cheap-servers.js';
import { simPoolMigration } from './0201-sim-pool.js';
import { rentalsMigration } from './0300-rentals.js';
import { rentalCatalogMigration } from './0301-rental-catalog.js';
import { rentalVocabularyMigration } from './0302-rental-vocabulary.js';
import { rentalInboxPulledAtMigration } from './0303-rental-inbox-pulled-at.js';
import { rentalUpstreamOrderIndexMigration } from './0304-rental-upstream-order-index.js';
import { emailsMigration } from './0400-emails.js';
import { emailCatalogMigration } from './0401-email-catalog.js';
import { emailVocabularyMigration } from './0402-email-vocabulary.js';
import { emailOfferCostMigration } from './0403-email-offer-cost.js';
import { operatorConsoleMigration } from './0500-operator-console.js';
import { activationCodeTimeMigration } from './0502-activation-code-time.js';
import { upstreamCallsMigration } from './0503-upstream-calls.js';
import { auditClientAddressMigration } from './0504-audit-client-address.js';
import { customerPortalMigration } from './0600-customer-portal.js';
import { passwordLinksMigration } from './0601-password-links.js';
import { loginFailuresMigration } from './0602-login-failures.js';
import { idempotencyMigration } from './0700-idempotency.js';
import { webhooksMigration } from './0701-webhooks.js';
import type { Migration } from './helpers.js';

/**
 * Every migration, by version. Names sort in the order they run; each product line keeps its own
 * range (0001 core, 0100 activations, 0200 cheap numbers, 0300 rentals, 0400 emails, 0500 operator).
 */
export const migrations: Record<string, Migration> = {
  '0001-core': coreMigration,
  '0002-sandbox-upstreams': sandboxUpstreamsMigration,
  '0003-upstream-push-token': upstreamPushTokenMigration,
  '0100-activations': activationsMigration,
  '0101-sms-catalog': smsCatalogMigration,
  '0102-sms-routes': smsRoutesMigration,
  '0103-sms-catalogue-imports': smsCatalogueImportsMigration,
  '0104-catalogue-imports': catalogueImportsMigration,
  '0200-cheap-servers': cheapServersMigration,
  '0201-sim-pool': simPoolMigration,
  '0300-rentals': rentalsMigration,
  '0301-rental-catalog': rentalCatalogMigration,
  '0302-rental-vocabulary': rentalVocabularyMigration,
  '0303-rental-inbox-pulled-at': rentalInboxPulledAtMigration,
  '0304-rental-upstream-order-index': rentalUpstreamOrderIndexMigration,
  '0400-emails': emailsMigration,
  '0401-email-catalog': emailCatalogMigration,
  '0402-email-vocabulary': emailVocabularyMigration,
  '0403-email-offer-cost': emailOfferCostMigration,
  '0500-operator-console': operatorConsoleMigration,
  '0502-activation-code-time': activationCodeTimeMigration,
  '0503-upstream-calls': upstreamCallsMigration,
  '0504-audit-client-address': auditClientAddressMigration,
  '0600-customer-portal': customerPortalMigration,
  '0601-password-links': passwordLinksMigration,
  '0602-login-failures': loginFailuresMigration,
  '0700-idempotency': idempotencyMigration,
  '0701-webhooks': webhooksMigration,
};
