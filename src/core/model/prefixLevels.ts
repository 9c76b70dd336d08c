// Lines that begin alike share the LSTM's first steps: a direction's state after t tokens depends on those t
// tokens alone (padding is masked, so the state starts at zero on a line's first token). Log lines begin with
// the same few tokens far more often than not (a timestamp, a level, a service name, numbers and ids that the
// vocabulary maps to the unknown token), so prediction steps once per distinct prefix, not once per token: the
// lines as a trie of prefixes, walked one depth at a time. Each depth is one batch: every distinct prefix of that
// length, each continuing its parent prefix's state. A line's result is the state of its whole sequence, the same
// arithmetic on the same numbers as stepping it alone (docs/performance.md, "Prefixes stepped once").

/** The distinct prefixes of one length: one row each in that depth's batch. */
export interface PrefixLevel {
  /** The last token of each prefix (a row of the projection table). */
  tokens: Int32Array;
  /** Each prefix's parent (its first length − 1 tokens): a row of the previous level; 0 at depth 1. */
  parents: Int32Array;
  /** The lines whose whole sequence this level holds, and the row of each. */
  endingLines: Int32Array;
  endingRows: Int32Array;
}

/** Growable scratch arrays, kept from call to call: building a trie allocates only its result. */
class Scratch {
  private arrays = new Map<string, Int32Array>();

  get(name: string, length: number): Int32Array {
    let array = this.arrays.get(name);
    if (!array || array.length < length) this.arrays.set(name, (array = new Int32Array(Math.max(length, 2 * (array?.length ?? 0)))));
    return array;
  }
}

const scratch = new Scratch();

/** The open-addressing table's hash of a trie edge (parent node, token); −1 is the root. */
function mix(parent: number, token: number): number {
  const h = Math.imul(parent + 1, 0x9e3779b1) ^ Math.imul(token, 0x85ebca77);
  return h ^ (h >>> 15);
}

/**
 * The sequences' prefix trie, depth by depth. Empty sequences appear in no level: their state stays zero, as a
 * fully masked line's does. Each line is walked down a trie whose nodes are numbered as they are made, found by
 * (parent, token) in an open-addressing table; then each node gets its row within its depth.
 */
export function prefixLevels(sequences: readonly ArrayLike<number>[]): PrefixLevel[] {
  const lines = sequences.length;
  let positions = 0;
  let deepest = 0;
  for (const sequence of sequences) {
    positions += sequence.length;
    deepest = Math.max(deepest, sequence.length);
  }
  let slotCount = 16;
  while (slotCount < 2 * positions) slotCount *= 2;
  const mask = slotCount - 1;
  const slots = scratch.get('slots', slotCount).fill(-1, 0, slotCount);
  const nodeParent = scratch.get('parent', positions);
  const nodeToken = scratch.get('token', positions);
  const nodeDepth = scratch.get('depth', positions);
  const lineNode = scratch.get('line', lines);
  const perDepth = scratch.get('perDepth', deepest + 1).fill(0, 0, deepest + 1);
  const endingPerDepth = scratch.get('endingPerDepth', deepest + 1).fill(0, 0, deepest + 1);
  let nodes = 0;
  for (let i = 0; i < lines; i++) {
    const sequence = sequences[i];
    let node = -1;
    for (let d = 0; d < sequence.length; d++) {
      const token = sequence[d];
      let slot = mix(node, token) & mask;
      for (;;) {
        const found = slots[slot];
        if (found < 0) {
          nodeParent[nodes] = node;
          nodeToken[nodes] = token;
          nodeDepth[nodes] = d;
          perDepth[d]++;
          slots[slot] = node = nodes++;
          break;
        }
        if (nodeParent[found] === node && nodeToken[found] === token) {
          node = found;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    lineNode[i] = node;
    if (node >= 0) endingPerDepth[sequence.length - 1]++;
  }
  // Rows within each depth, in the order the nodes were made (a parent is made before its children).
  const levels: PrefixLevel[] = [];
  for (let d = 0; d < deepest; d++) {
    const rows = perDepth[d];
    const endings = endingPerDepth[d];
    levels.push({
      tokens: new Int32Array(rows),
      parents: new Int32Array(rows),
      endingLines: new Int32Array(endings),
      endingRows: new Int32Array(endings),
    });
  }
  const nodeRow = scratch.get('row', nodes);
  const filled = perDepth.fill(0, 0, deepest + 1);
  for (let node = 0; node < nodes; node++) {
    const level = levels[nodeDepth[node]];
    const row = filled[nodeDepth[node]]++;
    nodeRow[node] = row;
    level.tokens[row] = nodeToken[node];
    level.parents[row] = nodeParent[node] < 0 ? 0 : nodeRow[nodeParent[node]];
  }
  const ended = endingPerDepth.fill(0, 0, deepest + 1);
  for (let i = 0; i < lines; i++) {
    const node = lineNode[i];
    if (node < 0) continue;
    const level = levels[nodeDepth[node]];
    const at = ended[nodeDepth[node]]++;
    level.endingLines[at] = i;
    level.endingRows[at] = nodeRow[node];
  }
  return levels;
}
