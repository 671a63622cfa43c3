/** The adapter ships this module without types: a pino destination stream that writes workflow commands. */
declare module '@probot/adapter-github-actions/pino-transport-github-actions.js' {
  import type { DestinationStream } from 'pino';
  export const transport: DestinationStream;
}
