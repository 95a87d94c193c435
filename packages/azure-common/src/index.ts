export { type CancellationContext, voxErrorFromCancellation } from './cancellation-errors';
export {
  AZURE_CREDENTIAL_REQUIRED,
  azureCredentialFields,
  hasAzureCredential,
  urlOption,
} from './credential-options';
export { preferNpmWebSocket } from './npm-web-socket';
