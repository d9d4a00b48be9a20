/** An operator's catalogue change that was refused, worded for the operator (CLI and console). */
export class CatalogAdminError extends Error {
  override name = 'CatalogAdminError';
}
