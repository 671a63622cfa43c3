/** What a CLI command may touch besides the files it is given: its streams. Tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
  version: string;
}
