export {
  countInventory,
  EXTENSION_KIND_LABELS,
  hasErrors,
  type InventoryCounts,
  inventoryJson,
  inventoryMarkdown,
  kindSummary,
} from './inventory-documents.js';
export type { ExtensionEntry, ExtensionKind, Inventory, InventoryProblem } from './inventory-types.js';
export { describeLegacySource } from './legacy-source-scan.js';
export { INVENTORY_MAX_DEPTH, type ScanOptions, scanExtensions } from './scan-extensions.js';
