/** The app version written into bundles and traces (from package.json, bundled at build time). */
import pkg from '../../../../package.json'

export const APP_VERSION: string = (pkg as { version: string }).version
