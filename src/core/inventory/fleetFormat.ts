// The fleet file's format version, checked by every reader of the file (the full FleetFile and the archive
// doors' narrow view of it).
export const FLEET_FORMAT_VERSION = 1;
