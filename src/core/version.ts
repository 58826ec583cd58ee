// Lifeboat's version, shown in the UI and written into every artifact Lifeboat produces.
export const LIFEBOAT_VERSION = '0.1.0';
