// Generated from the function table by `npm run generate`. Do not edit by hand.
// chunks: chunks-system
import { docsAsset as factory } from '../../../handlers/system/docs.routes.ts';
import { services } from '../../../app/services.ts';
import { lambdaEntry } from '../lambda-entry.ts';

export const handler = lambdaEntry("docs-asset", factory, services);
