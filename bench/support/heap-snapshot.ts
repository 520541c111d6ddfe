// Reads a V8 heap snapshot (node:v8 writeHeapSnapshot) and says where its bytes are: each
// object's self size is charged to the nearest owner above it in the dominator tree (the
// object whose going would free it) that a rule names — a call's Flow, the hub's events log of a
// call, a ws WebSocket, a net.Socket… — else to "other". Two snapshots taken at different
// numbers of live calls, differenced and divided by the calls added, give what one call costs
// and in what. Used by bench/live.ts.
import { readFileSync } from 'node:fs';

interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Names an owner: the category its dominated bytes go to, or null. */
export type OwnerRule = (node: { type: string; name: string; keys: readonly string[] }) => string | null;

export interface HeapBreakdown {
  total: number;
  /** Bytes per owner category (self sizes of what each category's owners dominate). */
  byOwner: Map<string, number>;
  /** Self bytes and counts per label (constructor, `{keys}` of a plain object, `closure name`, type). */
  byLabel: Map<string, { bytes: number; count: number }>;
  /** The same per owner category and label (`category\tlabel`). */
  byOwnerLabel: Map<string, { bytes: number; count: number }>;
}

export function analyseHeapSnapshot(path: string, rule: OwnerRule): HeapBreakdown {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as RawSnapshot;
  const meta = raw.snapshot.meta;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSize = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const WEAK = edgeTypes.indexOf('weak');
  const PROPERTY = edgeTypes.indexOf('property');
  const { nodes, edges, strings } = raw;
  const count = nodes.length / NF;

  // Each node's first edge.
  const firstEdge = new Int32Array(count + 1);
  for (let i = 0, e = 0; i < count; i++) {
    firstEdge[i] = e;
    e += (nodes[i * NF + nEdges] as number) * EF;
  }
  firstEdge[count] = edges.length;
  const strong = (e: number) => edges[e + eType] !== WEAK;

  // Depth-first post-order from the root (node 0) over strong edges, iteratively.
  const post = new Int32Array(count).fill(-1);
  const order: number[] = [];
  const visited = new Uint8Array(count);
  const stack: number[] = [0];
  const cursor = new Int32Array(count);
  visited[0] = 1;
  cursor[0] = firstEdge[0] as number;
  while (stack.length > 0) {
    const v = stack[stack.length - 1] as number;
    let pushed = false;
    for (let e = cursor[v] as number; e < (firstEdge[v + 1] as number); e += EF) {
      const w = (edges[e + eTo] as number) / NF;
      if (!strong(e) || visited[w]) continue;
      cursor[v] = e + EF;
      visited[w] = 1;
      cursor[w] = firstEdge[w] as number;
      stack.push(w);
      pushed = true;
      break;
    }
    if (!pushed) {
      stack.pop();
      post[v] = order.length;
      order.push(v);
    }
  }

  // Predecessors (strong edges from reachable nodes), as one flat list per node.
  const predCount = new Int32Array(count + 1);
  for (let v = 0; v < count; v++) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v] as number; e < (firstEdge[v + 1] as number); e += EF)
      if (strong(e)) {
        const w = (edges[e + eTo] as number) / NF;
        predCount[w] = (predCount[w] as number) + 1;
      }
  }
  const predStart = new Int32Array(count + 1);
  for (let v = 0; v < count; v++) predStart[v + 1] = (predStart[v] as number) + (predCount[v] as number);
  const preds = new Int32Array(predStart[count] as number);
  const fill = predStart.slice();
  for (let v = 0; v < count; v++) {
    if (!visited[v]) continue;
    for (let e = firstEdge[v] as number; e < (firstEdge[v + 1] as number); e += EF)
      if (strong(e)) {
        const w = (edges[e + eTo] as number) / NF;
        preds[fill[w] as number] = v;
        fill[w] = (fill[w] as number) + 1;
      }
  }

  // Dominators: Cooper, Harvey and Kennedy's iteration over reverse post-order.
  const idom = new Int32Array(count).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number): number => {
    let x = a;
    let y = b;
    while (x !== y) {
      while ((post[x] as number) < (post[y] as number)) x = idom[x] as number;
      while ((post[y] as number) < (post[x] as number)) y = idom[y] as number;
    }
    return x;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = order.length - 2; k >= 0; k--) {
      const v = order[k] as number;
      let d = -1;
      for (let p = predStart[v] as number; p < (predStart[v + 1] as number); p++) {
        const u = preds[p] as number;
        if (idom[u] === -1) continue;
        d = d === -1 ? u : intersect(u, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }

  // Labels and owner categories.
  const keysOf = (v: number): string[] => {
    const keys: string[] = [];
    for (let e = firstEdge[v] as number; e < (firstEdge[v + 1] as number) && keys.length < 8; e += EF)
      if (edges[e + eType] === PROPERTY) keys.push(strings[edges[e + eName] as number] as string);
    return keys;
  };
  const typeOf = (v: number) => nodeTypes[nodes[v * NF + nType] as number] as string;
  const nameOf = (v: number) => strings[nodes[v * NF + nName] as number] as string;
  const labelOf = (v: number): string => {
    const type = typeOf(v);
    const name = nameOf(v);
    if (type === 'object') return name === 'Object' ? `{${keysOf(v).join(',')}}` : name;
    if (type === 'closure') return `closure ${name || '(anonymous)'}`;
    if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return 'string';
    if (type === 'array' || type === 'hidden' || type === 'code' || type === 'native')
      return `(${type}) ${name.slice(0, 40)}`;
    return `(${type})`;
  };

  // Children lists of the dominator tree, then a walk from the root carrying the category.
  const childCount = new Int32Array(count + 1);
  for (let v = 1; v < count; v++) {
    const d = idom[v] as number;
    if (visited[v] && d !== -1) childCount[d] = (childCount[d] as number) + 1;
  }
  const childStart = new Int32Array(count + 1);
  for (let v = 0; v < count; v++) childStart[v + 1] = (childStart[v] as number) + (childCount[v] as number);
  const children = new Int32Array(childStart[count] as number);
  const cfill = childStart.slice();
  for (let v = 1; v < count; v++) {
    const d = idom[v] as number;
    if (!visited[v] || d === -1) continue;
    children[cfill[d] as number] = v;
    cfill[d] = (cfill[d] as number) + 1;
  }

  const byOwner = new Map<string, number>();
  const byLabel = new Map<string, { bytes: number; count: number }>();
  const byOwnerLabel = new Map<string, { bytes: number; count: number }>();
  const add = (map: Map<string, { bytes: number; count: number }>, key: string, size: number) => {
    const l = map.get(key) ?? { bytes: 0, count: 0 };
    l.bytes += size;
    l.count++;
    map.set(key, l);
  };
  let total = 0;
  const walk: Array<[number, string]> = [[0, 'other']];
  while (walk.length > 0) {
    const [v, inherited] = walk.pop() as [number, string];
    const type = typeOf(v);
    const category =
      type === 'object' || type === 'closure'
        ? (rule({ type, name: nameOf(v), keys: type === 'object' ? keysOf(v) : [] }) ?? inherited)
        : inherited;
    const size = nodes[v * NF + nSize] as number;
    total += size;
    byOwner.set(category, (byOwner.get(category) ?? 0) + size);
    const label = labelOf(v);
    add(byLabel, label, size);
    add(byOwnerLabel, `${category}\t${label}`, size);
    for (let c = childStart[v] as number; c < (childStart[v + 1] as number); c++)
      walk.push([children[c] as number, category]);
  }
  return { total, byOwner, byLabel, byOwnerLabel };
}
