// What buildApp needs, and the session cookie's name: kept apart from app.ts so the routes can
// use them without importing app.ts back (app.ts imports them).
import type { Application, ApplicationDeps } from '../app/application.ts';

export const SESSION_COOKIE = 'huashu_session';

/** How the HTTP server logs. */
export interface HttpOptions {
  /** Log to stdout (the server) or not at all (tests). */
  logger?: boolean;
  /** Log to this stream instead (tests that read the log); implies logging. */
  logStream?: NodeJS.WritableStream;
  /** Where the built web UI is (tests); default dist/web/ of the project. */
  webRoot?: string;
}

/**
 * The application to serve; or what to build one from (tests), which the server then owns
 * and closes with itself.
 */
export type AppDeps = HttpOptions & ({ application: Application } | ApplicationDeps);
