/** A node id from a caller: a positive safe integer (a programming error otherwise). */
export function checkNodeId(nodeId: unknown): number {
  if (!Number.isSafeInteger(nodeId) || (nodeId as number) < 1) {
    throw new RangeError('nodeId: expected a positive integer');
  }
  return nodeId as number;
}
