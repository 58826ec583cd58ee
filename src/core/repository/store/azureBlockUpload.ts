// Azure Blob's side of a parted upload (partedUpload.ts): one Put Blob for an object that fits in a block;
// otherwise staged blocks and a Put Block List that commits them in order. Blocks of a failed upload stay
// uncommitted, which no listing shows (Azure discards them after a week, cleanIncomplete at once).
import { randomUUID } from 'node:crypto';
import type { BlockBlobClient } from '@azure/storage-blob';
import type { PartedUploadTarget } from './partedUpload';

export function azureBlockUpload(blob: BlockBlobClient): PartedUploadTarget {
  // Block ids are this upload's own (a dead writer's uncommitted blocks of the same blob are never taken
  // for ours) and of one length, as Azure requires within a blob.
  const upload = randomUUID();
  const blockId = (number: number) => Buffer.from(`${upload}-${String(number).padStart(6, '0')}`).toString('base64');
  return {
    async putWhole(body, signal) {
      await blob.upload(body, body.length, { abortSignal: signal });
    },
    async sendPart(number, body, signal) {
      await blob.stageBlock(blockId(number), body, body.length, { abortSignal: signal });
    },
    async commit(count, signal) {
      await blob.commitBlockList(Array.from({ length: count }, (_, i) => blockId(i + 1)), { abortSignal: signal });
    },
    async abandon() {
      // Nothing to do: uncommitted blocks are not part of any blob.
    },
  };
}
