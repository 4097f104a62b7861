/**
 * Erasing one user's data in every service (`DELETE /api/delete_account`): the composition root
 * runs each manifest's `erase` (kernel/services.ts UserErasure). The `data` phase runs first,
 * service by service; the `account` phase (identity: the account, its PINs and tokens) only when
 * every `data` erase succeeded, so a failed erase leaves the caller signed in to retry it. Every
 * step deletes what it finds and counts it, so a retry finishes the work and counts only the rest.
 */
import { AppError } from '../domain/errors.ts';
import type { BlobStore, Clock, Document, DocumentStore } from '../domain/ports.ts';
import type { ErasableBlobs, ErasableDocuments, ErasureCounts, ErasureLog, ErasureReport, ServiceManifest } from '../kernel/services.ts';

const PAGE = 100;

// The logger redacts keys that look secret (`refresh-tokens`), so counts are logged as a list.
const logged = (counts: ErasureCounts) => Object.entries(counts).map(([name, count]) => ({ name, count }));
const loggedReport = (services: ErasureReport['services']) => Object.fromEntries(Object.entries(services).map(([service, counts]) => [service, logged(counts)]));

export interface EraseRunnerDeps {
  services: readonly ServiceManifest<unknown>[];
  documents: DocumentStore;
  blobs: BlobStore;
  clock: Clock;
  /** The service's loaded settings (blob container names are often settings). */
  settingsOf(service: string): unknown;
}

/** Deletes every document of the user in one container; answers how many went. */
export async function eraseDocuments(documents: DocumentStore, { container, userField = container.partitionKey }: ErasableDocuments, userId: string): Promise<number> {
  const repository = documents.repository<Document>(container);
  const byPartition = userField === container.partitionKey;
  let erased = 0;
  // Always the first page again: deleting while following a continuation could skip documents.
  for (;;) {
    const page = await repository.query({ filters: [{ field: userField, op: '=', value: userId }], limit: PAGE, ...(byPartition ? { partitionKey: userId } : {}) });
    let deleted = 0;
    for (const document of page.items) {
      if (await repository.delete(document.id, String(document[container.partitionKey]))) deleted++;
    }
    erased += deleted;
    // A page of documents someone else deleted meanwhile (deleted = 0) must not loop forever.
    if (page.items.length < PAGE || deleted === 0) return erased;
  }
}

/** Deletes every blob under the prefix; answers how many went. */
export async function eraseBlobs(blobs: BlobStore, { container, prefix }: ErasableBlobs): Promise<number> {
  // An empty prefix would be the whole container: a declaration bug, never a user's data.
  if (!prefix) throw new Error(`Refusing to erase the whole blob container ${container}: the prefix is empty.`);
  let erased = 0;
  for (const name of await blobs.list(container, prefix)) {
    if (await blobs.delete(container, name)) erased++;
  }
  return erased;
}

export function createEraseUser(deps: EraseRunnerDeps) {
  const erasing = deps.services.filter((service) => service.erase);
  const phase = (service: ServiceManifest<unknown>) => service.erase?.phase ?? 'data';

  async function eraseService(service: ServiceManifest<unknown>, userId: string, log: ErasureLog): Promise<ErasureCounts> {
    const erase = service.erase!;
    const counts: ErasureCounts = {};
    const settings = deps.settingsOf(service.name);
    for (const spec of erase.documents ?? []) counts[spec.container.name] = await eraseDocuments(deps.documents, spec, userId);
    for (const spec of erase.blobs?.(settings, userId) ?? []) {
      counts[`blobs:${spec.container}`] = (counts[`blobs:${spec.container}`] ?? 0) + (await eraseBlobs(deps.blobs, spec));
    }
    if (erase.custom) Object.assign(counts, await erase.custom({ documents: deps.documents, blobs: deps.blobs, clock: deps.clock, settings }, userId, log));
    return counts;
  }

  async function runPhase(services: readonly ServiceManifest<unknown>[], userId: string, log: ErasureLog, report: ErasureReport): Promise<string[]> {
    const failed: string[] = [];
    // One service after another: a user's erase is rare, and its log then reads in order.
    for (const service of services) {
      try {
        const counts = await eraseService(service, userId, log);
        report.services[service.name] = counts;
        log.info({ userId, service: service.name, erased: logged(counts) }, 'user data erased');
      } catch (error) {
        failed.push(service.name);
        log.error({ userId, service: service.name, err: error }, 'user data erase failed');
      }
    }
    return failed;
  }

  return async function eraseUser(userId: string, log: ErasureLog): Promise<ErasureReport> {
    const report: ErasureReport = { userId, services: {} };
    let failed = await runPhase(erasing.filter((service) => phase(service) === 'data'), userId, log, report);
    // The account goes last, and only once everything else has: otherwise the user could not retry.
    if (!failed.length) failed = await runPhase(erasing.filter((service) => phase(service) === 'account'), userId, log, report);
    if (failed.length) {
      log.warn({ userId, failed, erased: loggedReport(report.services) }, 'account erase incomplete: the account is kept so the erase can be retried');
      throw new AppError(503, 'erase_incomplete', 'Some of the account\'s data could not be erased yet; nothing is lost by retrying. Try again later.', { headers: { 'retry-after': '30' } });
    }
    log.info({ userId, erased: loggedReport(report.services) }, 'account erased');
    return report;
  };
}
