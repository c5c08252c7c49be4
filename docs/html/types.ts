/** A file of the site: text the stage made, or a file to copy as it is (a vendored bundle). */
export type SiteFile = { path: string; contents: string } | { path: string; copyFrom: string };
