/**
 * The garage's vehicle routes: vehicles, their mods, service records and reminders, the vehicle
 * image, and the daily reminder timer. Every route is the signed-in owner's: another user's
 * vehicle (or anything under it) is 404, never 403.
 */
import { defineFunction, type FunctionDef, type JsonSchema } from '../../../kernel/functions.ts';
import { IMAGE_TYPES } from '../../../domain/wardrobe/image-formats.ts';
import {
  childListQuery, imageResponse, listVehiclesQuery, modPage, modPatch, modRequest, modResponse, reminderPage, reminderPatch, reminderRequest,
  reminderResponse, servicePage, servicePatch, serviceRequest, serviceResponse, vehiclePage, vehiclePatch, vehicleRequest, vehicleResponse,
} from './schemas.ts';
import { MAX_IMAGE_BYTES, MULTIPART_ALLOWANCE } from './settings.ts';

const problem = { description: 'Problem details (application/problem+json)' };
const invalid = { description: '`validation_failed` (naming every failing field, e.g. a date that is not a real YYYY-MM-DD), `invalid_vin`, `invalid_id` or `invalid_continuation`' };
const signedIn = { 400: invalid, 401: problem };
const noVehicle = { description: '`not_found`: no such vehicle for this user (another user\'s is not found either)' };
const noChild = { description: '`not_found`: no such vehicle, or nothing of that id on it, for this user' };
const duplicateVin = { description: '`duplicate_vin`: another of your vehicles has this VIN (compared case-insensitively)' };
const stale = { description: '`precondition_failed`: the If-Match ETag is no longer current' };
const ROUTES = 'handlers/garage/vehicles/vehicles.routes';

export const listVehicles = defineFunction({
  name: 'garage-vehicles-list',
  trigger: {
    kind: 'http', method: 'GET', route: 'vehicles', auth: 'user',
    summary: "The caller's vehicles, newest first, a page at a time; `image` is a short-lived URL or null.",
    request: { query: listVehiclesQuery },
    responses: { 200: { description: 'A page of vehicles', schema: vehiclePage }, ...signedIn },
  },
  handler: `${ROUTES}#listVehicles`,
});

export const createVehicle = defineFunction({
  name: 'garage-vehicles-create',
  trigger: {
    kind: 'http', method: 'POST', route: 'vehicles', auth: 'user',
    summary: 'Adds a vehicle: make, model and year required; trim, VIN (17 characters, no I/O/Q, check digit for North-American VINs), mileage and nickname optional.',
    request: { body: vehicleRequest },
    responses: { 201: { description: 'Created (ETag, Location)', schema: vehicleResponse }, 409: duplicateVin, ...signedIn },
  },
  handler: `${ROUTES}#createVehicle`,
});

export const getVehicle = defineFunction({
  name: 'garage-vehicles-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'vehicles/{id}', auth: 'user',
    summary: 'One vehicle with its mods (newest first) and its ETag.',
    responses: { 200: { description: 'The vehicle', schema: vehicleResponse }, 404: noVehicle, ...signedIn },
  },
  handler: `${ROUTES}#getVehicle`,
});

export const replaceVehicle = defineFunction({
  name: 'garage-vehicles-replace',
  trigger: {
    kind: 'http', method: 'PUT', route: 'vehicles/{id}', auth: 'user',
    summary: 'Replaces the vehicle\'s fields (an optional field left out becomes null). Honours If-Match.',
    request: { body: vehicleRequest },
    responses: { 200: { description: 'The vehicle', schema: vehicleResponse }, 404: noVehicle, 409: duplicateVin, 412: stale, ...signedIn },
  },
  handler: `${ROUTES}#replaceVehicle`,
});

export const updateVehicle = defineFunction({
  name: 'garage-vehicles-update',
  trigger: {
    kind: 'http', method: 'PATCH', route: 'vehicles/{id}', auth: 'user',
    summary: 'Changes some fields; null clears an optional one. Honours If-Match.',
    request: { body: vehiclePatch },
    responses: { 200: { description: 'The vehicle', schema: vehicleResponse }, 404: noVehicle, 409: duplicateVin, 412: stale, ...signedIn },
  },
  handler: `${ROUTES}#updateVehicle`,
});

export const deleteVehicle = defineFunction({
  name: 'garage-vehicles-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'vehicles/{id}', auth: 'user',
    summary: 'Deletes the vehicle with its mods, service records, reminders and image; its conversations are kept, unlinked (vehicle_id null).',
    responses: { 204: { description: 'Deleted' }, 404: noVehicle, ...signedIn },
  },
  handler: `${ROUTES}#deleteVehicle`,
});

/** The four routes of one kind of a vehicle's children. */
function childFunctions(options: { kind: string; path: string; param: string; exportName: string; what: string; request: JsonSchema; patch: JsonSchema; response: JsonSchema; page: JsonSchema }): FunctionDef[] {
  const { kind, path, param, exportName, what, request, patch, response, page } = options;
  return [
    defineFunction({
      name: `garage-${kind}-list`,
      trigger: {
        kind: 'http', method: 'GET', route: `vehicles/{id}/${path}`, auth: 'user',
        summary: `The vehicle's ${what}, newest first, a page at a time.`,
        request: { query: childListQuery },
        responses: { 200: { description: `A page of ${what}`, schema: page }, 404: noVehicle, ...signedIn },
      },
      handler: `${ROUTES}#list${exportName}s`,
    }),
    defineFunction({
      name: `garage-${kind}-create`,
      trigger: {
        kind: 'http', method: 'POST', route: `vehicles/{id}/${path}`, auth: 'user',
        summary: `Adds one of the vehicle's ${what}.`,
        request: { body: request },
        responses: { 201: { description: 'Created', schema: response }, 404: noVehicle, ...signedIn },
      },
      handler: `${ROUTES}#create${exportName}`,
    }),
    defineFunction({
      name: `garage-${kind}-update`,
      trigger: {
        kind: 'http', method: 'PUT', route: `vehicles/{id}/${path}/{${param}}`, auth: 'user',
        summary: 'Changes the fields sent (as the upstream\'s PUT meant to); null clears an optional one.',
        request: { body: patch },
        responses: { 200: { description: 'Updated', schema: response }, 404: noChild, ...signedIn },
      },
      handler: `${ROUTES}#update${exportName}`,
    }),
    defineFunction({
      name: `garage-${kind}-delete`,
      trigger: {
        kind: 'http', method: 'DELETE', route: `vehicles/{id}/${path}/{${param}}`, auth: 'user',
        summary: 'Deletes it.',
        responses: { 204: { description: 'Deleted' }, 404: noChild, ...signedIn },
      },
      handler: `${ROUTES}#delete${exportName}`,
    }),
  ];
}

export const modFunctions = childFunctions({ kind: 'mods', path: 'mods', param: 'modId', exportName: 'Mod', what: 'mods', request: modRequest, patch: modPatch, response: modResponse, page: modPage });
export const serviceFunctions = childFunctions({ kind: 'services', path: 'services', param: 'serviceId', exportName: 'Service', what: 'service records', request: serviceRequest, patch: servicePatch, response: serviceResponse, page: servicePage });
export const reminderFunctions = childFunctions({
  kind: 'reminders', path: 'service-reminders', param: 'reminderId', exportName: 'Reminder', what: 'service reminders (the daily timer e-mails the caller once when one falls due)',
  request: reminderRequest, patch: reminderPatch, response: reminderResponse, page: reminderPage,
});

const imageProblems = {
  400: { description: '`body_required`, `malformed_multipart`, `invalid_image` (not an image), `image_type_mismatch`, `invalid_id`' },
  401: problem,
  404: noVehicle,
  413: { description: '`body_too_large`: over GARAGE_IMAGE_MAX_BYTES (10 MB at most)' },
  415: { description: '`unsupported_media_type`: not image/jpeg, png, webp or avif (nor multipart/form-data)' },
  422: { description: '`image_too_large` (GARAGE_IMAGE_MAX_PIXELS), `animated_image`' },
};

export const uploadVehicleImage = defineFunction({
  name: 'garage-vehicle-image-upload',
  trigger: {
    kind: 'http', method: 'POST', route: 'vehicles/{id}/image', auth: 'user', maxBodyBytes: MAX_IMAGE_BYTES + MULTIPART_ALLOWANCE,
    summary: 'Sets the vehicle\'s image (replacing the previous one): the body is the image bytes, or multipart/form-data with a `file` part. Stored as an auto-oriented WebP of at most 2048 px; answers its short-lived URL.',
    request: { contentTypes: [...IMAGE_TYPES, 'multipart/form-data'] },
    responses: { 201: { description: 'Stored', schema: imageResponse }, ...imageProblems },
  },
  handler: `${ROUTES}#uploadVehicleImage`,
});

export const getVehicleImage = defineFunction({
  name: 'garage-vehicle-image-get',
  trigger: {
    kind: 'http', method: 'GET', route: 'vehicles/{id}/image', auth: 'user',
    summary: 'The vehicle image\'s short-lived URL (`url` null when it has none).',
    responses: { 200: { description: 'The image', schema: imageResponse }, 404: noVehicle, ...signedIn },
  },
  handler: `${ROUTES}#getVehicleImage`,
});

export const deleteVehicleImage = defineFunction({
  name: 'garage-vehicle-image-delete',
  trigger: {
    kind: 'http', method: 'DELETE', route: 'vehicles/{id}/image', auth: 'user',
    summary: 'Removes the vehicle\'s image.',
    responses: { 204: { description: 'Deleted' }, 404: { description: '`not_found`: no such vehicle, or it has no image' }, ...signedIn },
  },
  handler: `${ROUTES}#deleteVehicleImage`,
});

/** Daily at 07:00 UTC. */
export const dailyReminders = defineFunction({
  name: 'garage-reminders-daily',
  trigger: { kind: 'timer', schedule: '0 0 7 * * *' },
  handler: 'handlers/garage/vehicles/reminders.timer#dailyReminders',
});

export const vehiclesFunctions: readonly FunctionDef[] = [
  listVehicles, createVehicle, getVehicle, replaceVehicle, updateVehicle, deleteVehicle,
  ...modFunctions, ...serviceFunctions, ...reminderFunctions,
  uploadVehicleImage, getVehicleImage, deleteVehicleImage, dailyReminders,
] as FunctionDef[];
