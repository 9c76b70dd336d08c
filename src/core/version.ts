// Textcat's version, from package.json: esbuild inlines the one field at build time, tsx reads the file from source.
import { version } from '../../package.json';

export const TEXTCAT_VERSION: string = version;
