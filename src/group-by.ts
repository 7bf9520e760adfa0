/**
 * Items grouped by a key, in first-appearance order of the keys and input order within a group;
 * `value` maps each item to what the group holds (the item itself by default). Lists grow in place
 * (a copy per item, `[...(m.get(k) ?? []), v]`, is quadratic in the group's size).
 */
export function groupBy<T, K, V = T>(items: Iterable<T>, key: (item: T) => K, value: (item: T) => V = (item) => item as unknown as V): Map<K, V[]> {
  const groups = new Map<K, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(value(item));
    else groups.set(k, [value(item)]);
  }
  return groups;
}
