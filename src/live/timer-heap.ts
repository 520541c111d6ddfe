// The deadlines of every live call in one binary min-heap, so that one setTimeout (armed at the
// earliest) serves thousands of calls. An entry is stale when its call has been rescheduled
// since (a newer generation): stale entries are skipped when they come up, never searched for.

export interface Deadline {
  /** ms since 1970. */
  due: number;
  callId: string;
  generation: number;
}

export class DeadlineHeap {
  private readonly items: Deadline[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Deadline | undefined {
    return this.items[0];
  }

  push(d: Deadline): void {
    const a = this.items;
    a.push(d);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as Deadline;
      if (p.due <= d.due) break;
      a[i] = p;
      i = parent;
    }
    a[i] = d;
  }

  pop(): Deadline | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (top === undefined || last === undefined || a.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= a.length) break;
      const r = l + 1;
      const child = r < a.length && (a[r] as Deadline).due < (a[l] as Deadline).due ? r : l;
      if ((a[child] as Deadline).due >= last.due) break;
      a[i] = a[child] as Deadline;
      i = child;
    }
    a[i] = last;
    return top;
  }
}
