/** What a CLI command may touch besides the files it is given: its streams. Tests pass their own. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** stderr is a terminal: progress lines. */
  isTTY: boolean;
  /** Colour in stdout's text (stdout is a terminal, or FORCE_COLOR; never with NO_COLOR). */
  color?: boolean;
  version: string;
}
