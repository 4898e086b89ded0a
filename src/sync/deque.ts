/**
 * A FIFO of values on a growable ring buffer: push and shift are O(1) and allocate nothing once the
 * buffer has grown to the largest backlog (an array's `shift()` is O(n) on large arrays in V8).
 * Queue and MemoryChannel keep their buffered items in one.
 * @internal
 */
export class Deque<T> {
  /** Slots; a power-of-two length so indexes wrap with a mask. Empty slots hold undefined. */
  private slots: Array<T | undefined> = new Array<T | undefined>(8).fill(undefined);
  /** Index of the oldest item. */
  private head = 0;
  /** Items stored. Invariant: 0 ≤ length ≤ slots.length. */
  length = 0;

  push(item: T): void {
    if (this.length === this.slots.length) this.grow();
    this.slots[(this.head + this.length) & (this.slots.length - 1)] = item;
    this.length++;
  }

  /** Removes and returns the oldest item. The caller checks `length > 0` first. */
  shift(): T {
    const item = this.slots[this.head] as T;
    this.slots[this.head] = undefined; // do not keep the item alive
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.length--;
    return item;
  }

  /** The items, oldest first (a copy). */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.slots[(this.head + i) & (this.slots.length - 1)] as T);
    return out;
  }

  private grow(): void {
    const items = this.toArray();
    this.slots = new Array<T | undefined>(this.slots.length * 2).fill(undefined);
    for (let i = 0; i < items.length; i++) this.slots[i] = items[i];
    this.head = 0;
  }
}
