import { HeapItem, IndexedHeap } from './indexed-heap';

interface Item extends HeapItem {
  key: number;
}

describe('IndexedHeap', () => {
  it('pops in order after random pushes and removals', () => {
    const heap = new IndexedHeap<Item>((a, b) => a.key < b.key);
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const items: Item[] = Array.from({ length: 2000 }, () => ({
      key: Math.floor(random() * 500),
      heapIndex: -1,
    }));
    items.forEach((item) => heap.push(item));
    const removed = new Set(items.filter(() => random() < 0.3));
    removed.forEach((item) => expect(heap.remove(item)).toBe(true));
    removed.forEach((item) => expect(heap.remove(item)).toBe(false));
    const popped: number[] = [];
    for (let item = heap.pop(); item; item = heap.pop()) popped.push(item.key);
    const expected = items
      .filter((i) => !removed.has(i))
      .map((i) => i.key)
      .sort((a, b) => a - b);
    expect(popped).toEqual(expected);
    expect(heap.size).toBe(0);
  });
});
