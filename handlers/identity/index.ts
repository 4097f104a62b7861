/** The identity service: e-mail + PIN sign-up, password login, Google sign-in, rotating refresh tokens, the caller's profile. */
import { defineService } from '../../kernel/services.ts';
import { eraseAccount, identityErasedDocuments } from './erase.ts';
import { identityFunctions } from './functions.ts';
import { IDENTITY_VARIABLES, loadIdentitySettings } from './settings.ts';
import { identityContainers } from './store.ts';

export default defineService({
  name: 'identity',
  summary: 'E-mail + PIN sign-up, password login, Google sign-in (the PluckIt clients), rotating refresh tokens, logout, revoke and the caller\'s profile.',
  functions: identityFunctions,
  containers: identityContainers,
  settings: { variables: IDENTITY_VARIABLES, load: loadIdentitySettings },
  // The sign-in goes last, after every other service's data (phase `account`).
  erase: { documents: identityErasedDocuments, custom: eraseAccount, phase: 'account' },
});
