/**
 * `sasl.jaas.config` values: one JAAS login module entry as Kafka's JaasConfig reads it —
 * `<LoginModule class> <required|requisite|sufficient|optional> key="value" key2=value2;`.
 * Quoted values may hold blanks and `\"`; the entry ends with ';'.
 */
export interface JaasEntry {
  loginModule: string;
  flag: 'required' | 'requisite' | 'sufficient' | 'optional';
  options: Record<string, string>;
}

export const PLAIN_LOGIN_MODULE = 'org.apache.kafka.common.security.plain.PlainLoginModule';
export const SCRAM_LOGIN_MODULE = 'org.apache.kafka.common.security.scram.ScramLoginModule';

const FLAGS = ['required', 'requisite', 'sufficient', 'optional'] as const;

export function parseJaasConfig(text: string): JaasEntry {
  let i = 0;
  const skipBlanks = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const word = (): string => {
    skipBlanks();
    const start = i;
    while (i < text.length && /[^\s=;"]/.test(text[i])) i++;
    return text.slice(start, i);
  };
  const loginModule = word();
  if (!loginModule) throw new Error('JAAS config must start with a login module class name');
  const flag = word().toLowerCase();
  if (!(FLAGS as readonly string[]).includes(flag))
    throw new Error(
      `JAAS config: login module control flag must be one of ${FLAGS.join(', ')}, not "${flag}"`,
    );
  const options: Record<string, string> = {};
  for (;;) {
    skipBlanks();
    if (i >= text.length) throw new Error('JAAS config entry must end with ";"');
    if (text[i] === ';') {
      i++;
      skipBlanks();
      if (i < text.length) throw new Error('JAAS config holds more than one login module entry');
      break;
    }
    const key = word();
    skipBlanks();
    if (!key || text[i] !== '=') throw new Error(`JAAS config: expected key=value at offset ${i}`);
    i++;
    skipBlanks();
    let value = '';
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (text[i] !== '"') throw new Error(`JAAS config: unterminated quoted value of ${key}`);
      i++;
    } else {
      value = word();
    }
    options[key] = value;
  }
  return { loginModule, flag: flag as JaasEntry['flag'], options };
}
