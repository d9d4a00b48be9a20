import type { ApiDoc } from './catalog/catalog-types.js';
import { cheapApi } from './catalog/cheap-api.js';
import { emailApi } from './catalog/email-api.js';
import { withExtensionParams } from './catalog/extensions.js';
import { rentalApi } from './catalog/rental-api.js';
import { smsApi } from './catalog/sms-api.js';

export type { ActionDoc, ApiDoc, ErrorDoc, ParamDoc, ReplyDoc } from './catalog/catalog-types.js';
export { cheapErrors } from './catalog/cheap-api.js';
export { emailErrors } from './catalog/email-api.js';
export { rentalErrors } from './catalog/rental-api.js';
export { smsErrors } from './catalog/sms-api.js';

/** Every customer API in the order the docs present them: the one source the docs site renders. */
export const apiCatalog: readonly ApiDoc[] = [smsApi, cheapApi, rentalApi, emailApi].map(withExtensionParams);

export function findApiDoc(id: string): ApiDoc | undefined {
  return apiCatalog.find((api) => api.id === id);
}
