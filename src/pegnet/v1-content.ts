/**
 * V1 OPR content (JSON). Decoding follows Go's encoding/json into the reference's V1Content
 * struct: keys match field tags exactly or case-insensitively, unknown keys are ignored, a
 * repeated key decodes again into the same value (a second "assets" object adds to the
 * map), null leaves a field alone, and any type mismatch rejects the content. Encoding
 * writes what json.Marshal writes for that struct.
 */
import { V1_ASSETS } from './assets.js';
import { goJsonFloat, goJsonString, parseGoJson, type JsonNode } from './go-json.js';
import { OprDecodeError } from './proto-content.js';
import type { V1Layout, V1OprContent } from './opr-types.js';

type Field = 'coinbase' | 'dbht' | 'winners' | 'minerid' | 'assets';
const FIELDS: readonly Field[] = ['coinbase', 'dbht', 'winners', 'minerid', 'assets'];

/** Go's field-name folding for these names: ASCII case, and U+017F (long s) for 's'. */
function matchField(key: string): Field | undefined {
  const exact = FIELDS.find((f) => f === key);
  if (exact) return exact;
  let folded = '';
  for (const ch of key) {
    if (ch === '\u017f') folded += 's';
    else if (ch.length === 1 && ch.charCodeAt(0) < 0x80) folded += ch.toLowerCase();
    else return undefined;
  }
  return FIELDS.find((f) => f === folded);
}

const goKind = (n: JsonNode): string => (n.kind === 'bool' ? 'bool' : n.kind);

function typeError(node: JsonNode, field: string, goType: string): string {
  const what = node.kind === 'number' ? `number ${node.literal}` : goKind(node);
  return `json: cannot unmarshal ${what} into Go struct field V1Content.${field} of type ${goType}`;
}

export function decodeV1Content(buf: Uint8Array): V1OprContent {
  let root: JsonNode;
  try {
    root = parseGoJson(buf);
  } catch (err) {
    throw new OprDecodeError((err as Error).message);
  }
  const c: V1OprContent = { coinbase: '', dbht: 0, winners: null, minerid: '', assets: null };
  // Go records the first type error, keeps decoding, and returns it at the end.
  let firstError: string | undefined;
  const note = (msg: string) => { firstError ??= msg; };
  if (root.kind === 'null') return c;
  if (root.kind !== 'object') throw new OprDecodeError(`json: cannot unmarshal ${goKind(root)} into Go value of type opr.V1Content`);

  for (const { key, value: node } of root.members) {
    const field = matchField(key);
    if (!field || node.kind === 'null') {
      if (field === 'winners' && node.kind === 'null') c.winners = null;
      if (field === 'assets' && node.kind === 'null') c.assets = null;
      continue;
    }
    switch (field) {
      case 'coinbase':
      case 'minerid':
        if (node.kind === 'string') c[field] = node.value;
        else note(typeError(node, field, 'string'));
        break;
      case 'dbht': {
        if (node.kind !== 'number' || !/^-?\d+$/.test(node.literal)) { note(typeError(node, field, 'int32')); break; }
        const v = BigInt(node.literal);
        if (v < -(2n ** 31n) || v >= 2n ** 31n) { note(typeError(node, field, 'int32')); break; }
        c.dbht = Number(v);
        break;
      }
      case 'winners': {
        if (node.kind !== 'array') { note(typeError(node, field, '[]string')); break; }
        // Go decodes into the existing slice: elements past the new length are cut, a null
        // element keeps whatever was there.
        const old = c.winners ?? [];
        const next: string[] = [];
        node.items.forEach((item, i) => {
          const prev = i < old.length ? old[i]! : '';
          if (item.kind === 'string') next.push(item.value);
          else {
            if (item.kind !== 'null') note(typeError(item, field, 'string'));
            next.push(prev);
          }
        });
        c.winners = next;
        break;
      }
      case 'assets': {
        if (node.kind !== 'object') { note(typeError(node, field, 'opr.V1AssetList')); break; }
        const map = c.assets ?? new Map<string, number>();
        for (const { key: name, value: v } of node.members) {
          if (v.kind === 'number') {
            const f = Number(v.literal);
            if (!Number.isFinite(f)) { note(`json: cannot unmarshal number ${v.literal} into Go value of type float64`); map.set(name, 0); }
            else map.set(name, f);
          } else {
            if (v.kind !== 'null') note(`json: cannot unmarshal ${goKind(v)} into Go struct field V1Content.assets of type float64`);
            map.set(name, 0);
          }
        }
        c.assets = map;
        break;
      }
    }
  }
  if (firstError) throw new OprDecodeError(firstError);
  const layout = layoutOf(root, buf);
  if (layout) c.layout = layout;
  return c;
}

/** The source's layout when re-encoding can reproduce it: flat, no repeated keys, no whitespace. */
function layoutOf(root: Extract<JsonNode, { kind: 'object' }>, buf: Uint8Array): V1Layout | undefined {
  const fields = new Set<string>();
  const members: V1Layout['members'][number][] = [];
  let assetKeys: string[] = [];
  for (const m of root.members) {
    const field = matchField(m.key);
    const id = field ?? 'raw:' + m.key;
    if (fields.has(id)) return undefined;
    fields.add(id);
    if (!field) {
      members.push({ key: m.key, raw: new TextDecoder().decode(buf.subarray(m.start, m.end)) });
      continue;
    }
    members.push({ key: m.key, field });
    if (field === 'assets' && m.value.kind === 'object') {
      assetKeys = m.value.members.map((a) => a.key);
      if (new Set(assetKeys).size !== assetKeys.length) return undefined;
    }
  }
  return { members, assetKeys };
}

/**
 * V1 content as JSON: json.Marshal of the reference's V1Content (fixed key order, assets in
 * V1 order), or, for decoded content, in the layout it was read with.
 */
export function encodeV1Content(c: V1OprContent): Uint8Array {
  if (!Number.isInteger(c.dbht) || c.dbht < -(2 ** 31) || c.dbht >= 2 ** 31) throw new RangeError('dbht must be an int32');
  const fieldText = {
    coinbase: () => goJsonString(c.coinbase),
    dbht: () => String(c.dbht),
    winners: () => (c.winners === null ? 'null' : '[' + c.winners.map(goJsonString).join(',') + ']'),
    minerid: () => goJsonString(c.minerid),
    assets: () => {
      if (c.layout && c.assets === null) return 'null';
      const names = c.layout ? c.layout.assetKeys : V1_ASSETS;
      return '{' + names.map((name) => `${goJsonString(name)}:${goJsonFloat(c.assets?.get(name) ?? 0)}`).join(',') + '}';
    },
  };
  const members = c.layout
    ? c.layout.members.map((m) => `${goJsonString(m.key)}:${m.field ? fieldText[m.field]() : m.raw!}`)
    : FIELDS.map((f) => `"${f}":${fieldText[f]()}`);
  return new TextEncoder().encode('{' + members.join(',') + '}');
}

/** V1 prices in V1 order as the grader reads them (a missing name reads 0). */
export function v1Prices(c: V1OprContent): number[] {
  return V1_ASSETS.map((name) => c.assets?.get(name) ?? 0);
}
