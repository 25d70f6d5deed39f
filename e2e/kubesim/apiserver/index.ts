// Public entry points of the simulated kube-apiserver.
export { startApiServer, type ApiServerOptions, type RunningApiServer } from './server.js';
export { runApiServerFromArgs, parseFlags, optionsFromFlags, FlagError } from './flags.js';
