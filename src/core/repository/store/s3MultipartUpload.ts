// S3's side of a parted upload (partedUpload.ts): one PutObject for an object that fits in a part; otherwise
// a multipart upload, begun with the first part, completed with every part's ETag in order, and aborted when
// the upload fails. The SDK signs each part's SHA-256 (the server checks the bytes it received against it).
import { AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, UploadPartCommand, type S3Client } from '@aws-sdk/client-s3';
import type { PartedUploadTarget } from './partedUpload';

export function s3MultipartUpload(client: S3Client, bucket: string, key: string): PartedUploadTarget {
  // Begun by the first part; the parts sent with it wait for the same answer.
  let begun: Promise<string> | undefined;
  const etags: string[] = [];
  return {
    async putWhole(body, signal) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length }), { abortSignal: signal });
    },
    async sendPart(number, body, signal) {
      begun ??= client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }), { abortSignal: signal }).then((answer) => answer.UploadId!);
      const UploadId = await begun;
      const answer = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: number, Body: body, ContentLength: body.length }), { abortSignal: signal });
      etags[number - 1] = answer.ETag ?? '';
    },
    async commit(count, signal) {
      const UploadId = await begun!;
      const Parts = Array.from({ length: count }, (_, i) => ({ PartNumber: i + 1, ETag: etags[i]! }));
      await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts } }), { abortSignal: signal });
    },
    async abandon() {
      const UploadId = await begun?.catch(() => undefined);
      // Sent without the caller's signal: a cancel must still clean up.
      if (UploadId !== undefined) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    },
  };
}
