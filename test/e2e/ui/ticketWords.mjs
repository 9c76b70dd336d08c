// The words of the small ticket datasets that UI steps write for themselves (autotune, label quality): a keyword
// per class and filler, drawn by a seeded generator so each step's file is the same on every run.

export const KEYWORDS = {
  billing: ['invoice', 'refund', 'charge'],
  shipping: ['parcel', 'delivery', 'courier'],
  login: ['password', 'account', 'locked'],
};
export const NOISE = ['the', 'a', 'my', 'for', 'please', 'today', 'with', 'some', 'again', 'this', 'from', 'help'];

/** A linear congruential generator in [0, 1): the same seed gives the same draws. */
export function seededRandom(seed) {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** 2–6 filler words, the first draws of each row. */
export function fillerWords(rand) {
  return Array.from({ length: 2 + Math.floor(rand() * 5) }, () => NOISE[Math.floor(rand() * NOISE.length)]);
}
