/**
 * PLACEHOLDER until the migrations land (issue 13): a read of a document one schema version
 * behind is upgraded here to the current shape, step by step from migrations/. For now every
 * document is taken as it is.
 */
export function upgradeOnRead(_container: string, document: object): object {
  return document;
}
