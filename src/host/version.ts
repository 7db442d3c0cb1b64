import pkg from '../../package.json' with { type: 'json' };

/** This Jovian's version: what plugins' `engines.jovian` ranges are checked against. */
export const JOVIAN_VERSION: string = pkg.version;
