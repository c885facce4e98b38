/**
 * The Backstage template's settings from the bootstrap's: the repository Argo CD syncs (the only one the template's
 * pull requests may go to), the onboarded team namespaces (the claims/ folders) and the team table (teamGroups).
 */
import { DEFAULT_TEMPLATE_SETTINGS, type TemplateSettings, githubRepoUrl } from '../../src/backstage/template.js';
import { type BootstrapSettings, DEFAULT_SETTINGS } from './settings.js';
import { claimTeams } from './teams.js';

/** The template settings of `settings` and the claims folder `claimsDir` (default the repository's). */
export function templateSettingsOf(settings: BootstrapSettings = DEFAULT_SETTINGS, claimsDir?: string): TemplateSettings {
  return {
    owner: DEFAULT_TEMPLATE_SETTINGS.owner,
    repoUrl: githubRepoUrl(settings.repoURL),
    namespaces: claimTeams(settings, claimsDir).map((t) => t.namespace),
    teamGroups: settings.teamGroups,
  };
}
