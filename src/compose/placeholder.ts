/** How a plan shows a value that exists only after creation: a leaf, so the cost model can match it without compose. */

/** A value that exists only after creation, shown as a visible placeholder. */
export const placeholder = (key: string, path: string): string => `<${path} of ${key}, known after creation>`;
