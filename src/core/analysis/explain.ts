// "Why this label": occlusion. For each token of a line, how much the predicted class's probability drops
// when that token alone is unknown (OOV). Every occluded variant of every line goes to the network in one
// prediction call, so explaining a line costs one call, not one per token (and the variants of a line share
// their steps up to the token each hides: predictByPrefix).
// A multi-label model's line is explained for its most probable class, by the drop in that class's sigmoid.
import { OOV, OOV_TOKEN, type EncodedLine } from '../text/tokenizer';
import { localPredictor, type Classifier } from '../predict';

export interface TokenWeight {
  /** The token as the tokenizer sees it (normalised, lowercased when the model lowercases). */
  token: string;
  /** Drop in the predicted class's probability when this token is unknown; negative: it pulled the other way. */
  weight: number;
}

export interface Explanation {
  /** The predicted class (of the unoccluded line). */
  label: string;
  /** The line's tokens in order, up to the model's maxLength (the rest never reaches the model). */
  tokens: TokenWeight[];
}

export async function explainLine(model: Classifier, text: string): Promise<Explanation> {
  return (await explainLines(model, [text]))[0];
}

export async function explainLines(model: Classifier, texts: readonly string[], predict = localPredictor(model)): Promise<Explanation[]> {
  const { tokenizer, labels } = model;
  const maxLength = tokenizer.config.maxLength;
  const lines = texts.map((text) => {
    const tokens = tokenizer.modelTokens(text);
    return { tokens, encoded: tokenizer.encodeTokens(tokens) };
  });
  // Row layout: for each line, the line itself, then one variant per token that is not OOV already
  // (occluding an unknown token changes nothing: its weight is 0 without asking the network). A variant reads
  // the token as unknown everywhere: its id is OOV and the n-grams it is part of are left out.
  const sequences: EncodedLine[] = [];
  const rows = lines.map(({ tokens, encoded }) => {
    const base = sequences.push(encoded) - 1;
    const variants = encoded.tokens.map((id, i) => {
      if (id === OOV) return -1;
      const occluded = tokens.slice();
      occluded[i] = OOV_TOKEN;
      return sequences.push(tokenizer.encodeTokens(occluded)) - 1;
    });
    return { base, variants };
  });
  const K = labels.length;
  const p = await predict(sequences, maxLength);
  return lines.map(({ tokens }, n) => {
    const { base, variants } = rows[n];
    let best = 0;
    for (let k = 1; k < K; k++) if (p[base * K + k] > p[base * K + best]) best = k;
    const p0 = p[base * K + best];
    return {
      label: labels[best],
      tokens: tokens.map((token, i) => ({ token, weight: variants[i] < 0 ? 0 : p0 - p[variants[i] * K + best] })),
    };
  });
}
