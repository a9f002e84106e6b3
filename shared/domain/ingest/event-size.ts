const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

/**
 * The size EventBridge charges a PutEvents entry against its limit: 14 bytes for Time, plus the
 * UTF-8 bytes of Source, DetailType, Detail and each resource (bus name and JSON syntax excluded).
 */
export const entrySize = (entry: {
  source: string;
  detailType: string;
  detail: string;
  resources: readonly string[];
  hasTime: boolean;
}): number =>
  (entry.hasTime ? 14 : 0) +
  utf8Bytes(entry.source) +
  utf8Bytes(entry.detailType) +
  utf8Bytes(entry.detail) +
  entry.resources.reduce((sum, r) => sum + utf8Bytes(r), 0);
