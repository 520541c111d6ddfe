export interface ChunkSizes {
  files: { file: string; raw: number; brotli: number }[];
  /** What every page loads: the entry and its static imports. */
  first: string[];
  /** Each lazily loaded module and the files it adds to the first page's. */
  lazy: { name: string; adds: string[] }[];
}
export function chunkSizes(webRoot: string): ChunkSizes;
export function sizeTable(sizes: ChunkSizes): string;
