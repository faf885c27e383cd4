import { readFileSync } from 'node:fs';
import { fixturePath } from './paths.js';

export interface LxrVector { name: string; input_hex: string; output_hex: string }
export interface LxrTableVectors {
  map_size_bits: number;
  table_file_name: string;
  table_sha256: string;
  table_first_32_bytes_hex?: string;
  vectors: LxrVector[];
}
export interface LxrVectorFile {
  tables: LxrTableVectors[];
  known_hashes_30_bits_from_reference_tests: { vectors: { input_hex: string; output_hex: string }[] };
}

/** The table sizes test/fixtures/lxrhash-vectors.json covers; the tests loop over them. */
export const LXR_VECTOR_BITS = [10, 16, 20, 24, 30] as const;

/**
 * The reference LXRHash vectors. Throws when the file lacks a table size or its vectors, so a
 * test looping over them fails instead of running nothing.
 */
export function lxrVectorFile(): LxrVectorFile {
  const path = fixturePath('lxrhash-vectors.json');
  const data = JSON.parse(readFileSync(path, 'utf8')) as LxrVectorFile;
  for (const bits of LXR_VECTOR_BITS) {
    const t = data.tables?.find((x) => x.map_size_bits === bits);
    if (!t || t.vectors.length < 8) throw new Error(`${path} lacks the vectors of the ${bits}-bit table: the test fixtures are incomplete`);
  }
  if ((data.known_hashes_30_bits_from_reference_tests?.vectors.length ?? 0) < 20) throw new Error(`${path} lacks the reference tests' 30-bit hashes`);
  return data;
}

/** The vectors of one table size. */
export function lxrTableVectors(bits: (typeof LXR_VECTOR_BITS)[number]): LxrTableVectors {
  return lxrVectorFile().tables.find((t) => t.map_size_bits === bits)!;
}
