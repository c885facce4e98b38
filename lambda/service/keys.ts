/**
 * Keys of the service's items in whatever table the estate gives it (`DRPLANE_TABLE_KEY`): the claim's first table,
 * keyed as the claim declares it. Pure.
 *
 * - The partition key holds the transaction id (or the health sentinel's id): as a string (S), or its UTF-8 bytes (B).
 *   A number (N) partition key cannot hold a transaction id: policy refuses it (service.table-key) and so does the
 *   configuration.
 * - A sort key holds a fixed value ({@link SORT_KEY_VALUE}): a transaction is then found, and its conditional put
 *   deduplicated, by its id alone (a sort key that changed between a request and its retry would store two items).
 * - A data attribute whose name is one of the key's (a sort key named `createdAt`, as in examples/three-region.yaml) is
 *   stored as `drplane.<name>`, so the key keeps its declared type and the data keeps its value.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { TableKeyAttribute, TableKeySchema } from '../shared/env-contract.js';

/** The fixed sort-key value of every item the service writes, by the sort key's type. */
export const SORT_KEY_VALUE: Readonly<Record<TableKeyAttribute['type'], AttributeValue>> = {
  S: { S: 'drplane' },
  N: { N: '0' },
  B: { B: new Uint8Array([0]) },
};

/** The key of the item whose partition key is `id`. */
export function itemKey(schema: TableKeySchema, id: string): Record<string, AttributeValue> {
  if (schema.hash.type === 'N') {
    throw new Error(`the partition key ${schema.hash.name} is a number (N); the service's ids are strings (S or B)`);
  }
  const hash: AttributeValue = schema.hash.type === 'S' ? { S: id } : { B: new TextEncoder().encode(id) };
  return {
    [schema.hash.name]: hash,
    ...(schema.range === undefined ? {} : { [schema.range.name]: SORT_KEY_VALUE[schema.range.type] }),
  };
}

/** The id an item's partition key holds. */
export function idOf(schema: TableKeySchema, item: Record<string, AttributeValue>): string {
  const v = item[schema.hash.name];
  if (v?.S !== undefined) return v.S;
  if (v?.B !== undefined) return new TextDecoder().decode(v.B);
  throw new Error(`stored item lacks its partition key "${schema.hash.name}"`);
}

/** Where data attribute `name` is stored: under its name, or `drplane.<name>` when the key uses that name. */
export function storedName(schema: TableKeySchema, name: string): string {
  return name === schema.hash.name || name === schema.range?.name ? `drplane.${name}` : name;
}

/** An item: the key of `id` and the data attributes, each stored under {@link storedName}. */
export function itemOf(
  schema: TableKeySchema,
  id: string,
  data: Readonly<Record<string, AttributeValue>>,
): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(data)) item[storedName(schema, name)] = value;
  return { ...item, ...itemKey(schema, id) };
}
