/** The BlobStore contract against MemoryBlobStore. */
import { MemoryBlobStore } from '../../adapters/memory/blobs.ts';
import { describeBlobStoreContract } from './blob-store.contract.ts';

describeBlobStoreContract('MemoryBlobStore', () => ({ store: new MemoryBlobStore(), expiryParam: 'expires', now: () => Date.now() }));
