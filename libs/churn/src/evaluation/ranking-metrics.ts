/** A scored example: the model's score and whether it really was positive (a member who churned). */
export interface Labelled {
  score: number;
  positive: boolean;
}

/**
 * ROC AUC: the chance a random positive scores above a random negative, ties counting half (Mann-Whitney U with
 * average ranks). Null when either class is empty, where the number has no meaning.
 */
export function rocAuc(examples: Labelled[]): number | null {
  const positives = examples.filter((e) => e.positive).length;
  const negatives = examples.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...examples].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    // ranks i+1..j share their average
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k].positive) rankSum += averageRank;
    i = j;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Precision among the top `fraction` of examples by score (at least one). Where the cut falls inside a group of equal
 * scores, that group fills the remaining places in proportion to its positives: the expected precision over every
 * order of the ties, so the number never depends on how the input happened to be sorted. Null for no examples.
 */
export function precisionAtTop(examples: Labelled[], fraction: number): number | null {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`fraction must be in (0, 1], got ${fraction}`);
  if (examples.length === 0) return null;
  const k = Math.max(1, Math.ceil(examples.length * fraction));
  const sorted = [...examples].sort((a, b) => b.score - a.score);
  let taken = 0;
  let hits = 0;
  for (let i = 0; i < sorted.length && taken < k;) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const group = sorted.slice(i, j);
    const groupHits = group.filter((e) => e.positive).length;
    const places = Math.min(group.length, k - taken);
    hits += (groupHits * places) / group.length;
    taken += places;
    i = j;
  }
  return hits / k;
}
