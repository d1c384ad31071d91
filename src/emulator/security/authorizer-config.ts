/**
 * The authorizer's broker properties, by Kafka's names: `authorizer.class.name` (the emulator has
 * Kafka's KRaft StandardAuthorizer only; empty or absent means no authorizer, as Kafka's default),
 * `super.users` (principals separated by `;`, as Kafka's AclAuthorizer/StandardAuthorizer read them)
 * and `allow.everyone.if.no.acl.found` (default false). They travel with the other security
 * settings (EmulatorConfig.security) and are checked at start by resolveSecurity.
 */
import { SecurityConfigError } from './config.js';

export const STANDARD_AUTHORIZER = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';

export const AUTHORIZER_PROPERTY_NAMES = [
  'authorizer.class.name',
  'super.users',
  'allow.everyone.if.no.acl.found',
] as const;

export interface AuthorizerSettings {
  enabled: boolean;
  superUsers: ReadonlySet<string>;
  allowEveryoneIfNoAclFound: boolean;
}

/** Reads and checks the authorizer settings; throws SecurityConfigError naming the setting. */
export function authorizerSettings(props: Readonly<Record<string, string>>): AuthorizerSettings {
  const className = (props['authorizer.class.name'] ?? '').trim();
  if (className !== '' && className !== STANDARD_AUTHORIZER)
    throw new SecurityConfigError(
      `authorizer.class.name=${className} is not served by the emulator: it has ${STANDARD_AUTHORIZER} only`,
    );
  const superUsers = new Set<string>();
  for (const entry of (props['super.users'] ?? '').split(';')) {
    const principal = entry.trim();
    if (principal === '') continue;
    // Kafka parses each one with SecurityUtils.parseKafkaPrincipal: TYPE:name.
    if (principal.indexOf(':') <= 0)
      throw new SecurityConfigError(
        `super.users: expected a string in format principalType:principalName but got ${principal}`,
      );
    superUsers.add(principal);
  }
  const everyone = (props['allow.everyone.if.no.acl.found'] ?? 'false').trim().toLowerCase();
  if (everyone !== 'true' && everyone !== 'false')
    throw new SecurityConfigError(
      `Invalid value ${props['allow.everyone.if.no.acl.found']} for configuration allow.everyone.if.no.acl.found: Expected value to be either true or false`,
    );
  return { enabled: className !== '', superUsers, allowEveryoneIfNoAclFound: everyone === 'true' };
}
