import { ExitCode, KubeOneError } from '../errors/exit-codes.js';

/** One problem found in the configuration, located in manifest terms. */
export interface Issue {
  /** Field path in manifest terms, e.g. `controlPlane.hosts[1].publicAddress`; '' for the document. */
  path: string;
  message: string;
  file?: string;
  line?: number;
  col?: number;
}

/** `<file>:<line>:<col>: <path>: <message>` (location parts only when known). */
export function formatIssue(issue: Issue): string {
  let where = '';
  if (issue.file) {
    where = issue.file;
    if (issue.line !== undefined) where += `:${issue.line}`;
    if (issue.line !== undefined && issue.col !== undefined) where += `:${issue.col}`;
    where += ': ';
  }
  const path = issue.path === '' ? '' : `${issue.path}: `;
  return `${where}${path}${issue.message}`;
}

/**
 * Every configuration problem (decoding, validation, Terraform output, credentials file)
 * ends as a ConfigError carrying ALL issues found, so the user fixes them in one round.
 * Exit code 15, as KubeOne.
 */
export class ConfigError extends KubeOneError {
  readonly issues: Issue[];
  constructor(issues: Issue[], summary = 'configuration validation') {
    const shown = capIssues(issues);
    super(`${summary}\n${shown.map(formatIssue).join('\n')}`, ExitCode.config);
    this.name = 'ConfigError';
    this.issues = shown;
  }
}

/** More problems than anyone reads: a hostile file must not turn into megabytes of output. */
export const MAX_REPORTED_ISSUES = 100;

function capIssues(issues: Issue[]): Issue[] {
  if (issues.length <= MAX_REPORTED_ISSUES) return issues;
  const rest = issues.length - MAX_REPORTED_ISSUES;
  return [...issues.slice(0, MAX_REPORTED_ISSUES), { path: '', message: `... and ${rest} more ${rest === 1 ? 'problem' : 'problems'} (only the first ${MAX_REPORTED_ISSUES} are listed)` }];
}

export function isConfigError(err: unknown): err is ConfigError {
  return err instanceof ConfigError;
}
