export { createLazySecretBox, createSecretBox, openSecretOrNull, SecretOpenError, type SecretBox } from './secret-box';
export { loadSecretKey, secretKeyFromBase64, secretKeyId, SecretKeyError, secretKeyFileName, type SecretKey } from './secret-key';
