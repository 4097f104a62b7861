/**
 * The garage's vehicle routes (see functions.ts): thin HTTP shells over the vehicles, children
 * and image services. The owner is the token's user; every id comes from the path.
 */
import { AppError, badRequest } from '../../../domain/errors.ts';
import type { Stored } from '../../../domain/ports.ts';
import { declaredImageType, IMAGE_TYPES, type ImageType } from '../../../domain/wardrobe/image-formats.ts';
import type { PorticoHttpEvent } from '../../../middleware/context.ts';
import { json, type PorticoHttpHandler } from '../../../middleware/http-stack.ts';
import { bodyBytesOf, mediaTypeOf, parseMultipart } from '../../../middleware/multipart.ts';
import { etagHeader, ifMatchOf, ownerOf, pageRequestOf, pathId } from '../../../middleware/resources.ts';
import type { VehicleDoc } from '../store.ts';
import { createChildService, type ChildKind, type ChildDoc } from './children.ts';
import { createVehicleImageService, type VehicleImageDeps } from './image.ts';
import { modKind, reminderKind, serviceKind } from './kinds.ts';
import { createVehiclesService, type VehicleInput, type VehiclePatch } from './service.ts';

/** What the vehicle routes use (app/app.ts `Deps` has all of it). */
export type VehicleRoutesDeps = VehicleImageDeps;

type Wire = Record<string, unknown>;

function vehicleRoutes(deps: VehicleRoutesDeps) {
  const service = createVehiclesService(deps);
  const images = createVehicleImageService(deps);
  const view = async (doc: Stored<VehicleDoc>, extra: Wire = {}) => ({
    id: doc.id, make: doc.make, model: doc.model, year: doc.year, trim: doc.trim, vin: doc.vin, mileage: doc.mileage, nickname: doc.nickname,
    image: await images.urlOf(doc), ...extra, created_at: doc.createdAt, updated_at: doc.updatedAt, etag: doc.etag,
  });
  const answer = async (status: number, doc: Stored<VehicleDoc>, headers: Record<string, string> = {}) => json(status, await view(doc), { ...etagHeader(doc.etag), ...headers });
  return { service, images, view, answer };
}

/** GET /api/vehicles: the caller's vehicles, newest first, a page at a time. */
export const listVehicles = (deps: VehicleRoutesDeps): PorticoHttpHandler => {
  const { service, view } = vehicleRoutes(deps);
  return async (event, context) => {
    const page = await service.list(ownerOf(context), pageRequestOf(event));
    return json(200, { items: await Promise.all(page.items.map((doc) => view(doc))), ...(page.continuation ? { continuation: page.continuation } : {}) });
  };
};

/** POST /api/vehicles: 201 with the vehicle, its ETag and Location. */
export const createVehicle = (deps: VehicleRoutesDeps): PorticoHttpHandler<VehicleInput> => {
  const { service, answer } = vehicleRoutes(deps);
  return async (event, context) => {
    const created = await service.create(ownerOf(context), event.json);
    return answer(201, created, { location: `/api/vehicles/${encodeURIComponent(created.id)}` });
  };
};

/** GET /api/vehicles/{id}: the vehicle with its mods (as the upstream answers it). */
export const getVehicle = (deps: VehicleRoutesDeps): PorticoHttpHandler => {
  const { service, view } = vehicleRoutes(deps);
  const mods = createChildService(deps, modKind);
  return async (event, context) => {
    const userId = ownerOf(context);
    const vehicle = await service.find(userId, pathId(event));
    const found = await service.modsOf(userId, vehicle.id);
    return json(200, await view(vehicle, { mods: found.map(mods.toView) }), etagHeader(vehicle.etag));
  };
};

/** PUT /api/vehicles/{id}: replaces every field (If-Match honoured). */
export const replaceVehicle = (deps: VehicleRoutesDeps): PorticoHttpHandler<VehicleInput> => {
  const { service, answer } = vehicleRoutes(deps);
  return async (event, context) => answer(200, await service.replace(ownerOf(context), pathId(event), event.json, ifMatchOf(event)));
};

/** PATCH /api/vehicles/{id}: merges the fields sent; null clears an optional one (If-Match honoured). */
export const updateVehicle = (deps: VehicleRoutesDeps): PorticoHttpHandler<VehiclePatch> => {
  const { service, answer } = vehicleRoutes(deps);
  return async (event, context) => answer(200, await service.update(ownerOf(context), pathId(event), event.json, ifMatchOf(event)));
};

/** DELETE /api/vehicles/{id}: with its mods, services, reminders and image; its conversations are unlinked. */
export const deleteVehicle = (deps: VehicleRoutesDeps): PorticoHttpHandler => {
  const { service } = vehicleRoutes(deps);
  return async (event, context) => {
    await service.remove(ownerOf(context), pathId(event));
    return { statusCode: 204, headers: {}, body: '' };
  };
};

// ---------------------------------------------------------------- mods, service records, reminders

function childRoutes<T extends ChildDoc>(kind: ChildKind<T>, childParam: string) {
  const context = (event: PorticoHttpEvent<unknown>, ctx: Parameters<PorticoHttpHandler>[1]) => ({ userId: ownerOf(ctx), vehicleId: pathId(event), write: { email: ctx.principal?.email } });
  return {
    list: (deps: VehicleRoutesDeps): PorticoHttpHandler => {
      const service = createChildService(deps, kind);
      return async (event, ctx) => json(200, await service.list(ownerOf(ctx), pathId(event), pageRequestOf(event, 50)));
    },
    create: (deps: VehicleRoutesDeps): PorticoHttpHandler<Wire> => {
      const service = createChildService(deps, kind);
      return async (event, ctx) => {
        const { userId, vehicleId, write } = context(event, ctx);
        return json(201, await service.create(userId, vehicleId, event.json, write));
      };
    },
    update: (deps: VehicleRoutesDeps): PorticoHttpHandler<Wire> => {
      const service = createChildService(deps, kind);
      return async (event, ctx) => {
        const { userId, vehicleId, write } = context(event, ctx);
        return json(200, await service.update(userId, vehicleId, pathId(event, childParam), event.json, write));
      };
    },
    remove: (deps: VehicleRoutesDeps): PorticoHttpHandler => {
      const service = createChildService(deps, kind);
      return async (event, ctx) => {
        await service.remove(ownerOf(ctx), pathId(event), pathId(event, childParam));
        return { statusCode: 204, headers: {}, body: '' };
      };
    },
  };
}

const mods = childRoutes(modKind, 'modId');
export const listMods = mods.list;
export const createMod = mods.create;
export const updateMod = mods.update;
export const deleteMod = mods.remove;

const services = childRoutes(serviceKind, 'serviceId');
export const listServices = services.list;
export const createService = services.create;
export const updateService = services.update;
export const deleteService = services.remove;

const reminders = childRoutes(reminderKind, 'reminderId');
export const listReminders = reminders.list;
export const createReminder = reminders.create;
export const updateReminder = reminders.update;
export const deleteReminder = reminders.remove;

// ---------------------------------------------------------------- the vehicle's image

/**
 * The uploaded image: the body itself (Content-Type image/jpeg, png, webp or avif, as
 * POST /api/process-image takes it), or `multipart/form-data` with a `file` part (else the
 * first part), as the upstream's clients send it.
 */
async function uploadOf(event: PorticoHttpEvent<unknown>): Promise<{ bytes: Uint8Array; declared: ImageType | undefined }> {
  if (!event.body) throw badRequest('body_required', 'The request has no image.');
  const contentType = event.headers?.['content-type'];
  if (mediaTypeOf(event) !== 'multipart/form-data') {
    const declared = declaredImageType(contentType);
    if (!declared) throw new AppError(415, 'unsupported_media_type', `Send the image bytes with Content-Type ${IMAGE_TYPES.join(', ')}, or multipart/form-data with a \`file\` part.`);
    return { bytes: bodyBytesOf(event), declared };
  }
  const { files } = parseMultipart(event);
  const part = files.file ?? Object.values(files)[0];
  if (!part) throw badRequest('body_required', 'The multipart body has no file part.');
  const partType = part.contentType.split(';')[0]?.trim().toLowerCase() || undefined;
  // A part without a type (or a generic one) is judged by its bytes alone.
  const declared = partType === undefined || partType === 'application/octet-stream' ? undefined : declaredImageType(partType);
  if (partType !== undefined && partType !== 'application/octet-stream' && !declared) throw new AppError(415, 'unsupported_media_type', `The file part is ${partType}; send ${IMAGE_TYPES.join(', ')}.`);
  return { bytes: part.bytes, declared };
}

/** POST /api/vehicles/{id}/image: 201 with the image's short-lived URL; replaces the previous image. */
export const uploadVehicleImage = (deps: VehicleRoutesDeps): PorticoHttpHandler => {
  const { images } = vehicleRoutes(deps);
  return async (event, context) => {
    const userId = ownerOf(context);
    const vehicleId = pathId(event);
    const { bytes, declared } = await uploadOf(event);
    return json(201, await images.upload(userId, vehicleId, bytes, declared));
  };
};

/** GET /api/vehicles/{id}/image: `{url}` (null when it has none). */
export const getVehicleImage = (deps: VehicleRoutesDeps): PorticoHttpHandler => {
  const { images } = vehicleRoutes(deps);
  return async (event, context) => json(200, await images.get(ownerOf(context), pathId(event)));
};

/** DELETE /api/vehicles/{id}/image: 204; 404 when it has none. */
export const deleteVehicleImage = (deps: VehicleRoutesDeps): PorticoHttpHandler => {
  const { images } = vehicleRoutes(deps);
  return async (event, context) => {
    await images.remove(ownerOf(context), pathId(event));
    return { statusCode: 204, headers: {}, body: '' };
  };
};
