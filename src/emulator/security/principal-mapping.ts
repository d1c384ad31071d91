/**
 * The principal of an mTLS client (Kafka's DefaultKafkaPrincipalBuilder on an SSL listener): the
 * client certificate's subject as Java's X500Principal.getName() writes it (RFC 2253), then
 * `ssl.principal.mapping.rules` (KIP-371, Kafka's SslPrincipalMapper) turn it into the name after
 * `User:`.
 *
 * Rules are a comma-separated list of `DEFAULT` (the DN itself) and `RULE:pattern/replacement/`
 * with an optional `L` or `U` after the last slash (lower or upper case the result). A `/` inside a
 * pattern or replacement is written `\/`. The first rule whose pattern matches the whole DN gives
 * the name: every match of the pattern in the DN is replaced (Java's replaceAll), `$n` naming a
 * group, `\x` the character x. A back reference past the pattern's groups is first shortened one
 * digit at a time, and kept as text if still too large, as Kafka does. Patterns are Java regular
 * expressions, run here as JavaScript ones (KNOWN-DIFFERENCES.md: the common syntax agrees).
 */
import forge from 'node-forge';

export class PrincipalMappingError extends Error {}

type Rule =
  | { kind: 'default' }
  | {
      kind: 'rule';
      pattern: RegExp;
      whole: RegExp;
      /** Capturing groups in the pattern (Java's Matcher.groupCount). */
      groups: number;
      replacement: string;
      caseOp: '' | 'L' | 'U';
    };

export interface PrincipalMapper {
  /** The principal name for a DN, or undefined when no rule applies (the login fails then). */
  name(distinguishedName: string): string | undefined;
}

/** Parses ssl.principal.mapping.rules (default `DEFAULT`); a bad rule throws with Kafka's message. */
export function principalMapper(rules = 'DEFAULT'): PrincipalMapper {
  const parsed = splitRules(rules.trim()).flatMap(parseRule);
  return {
    name(dn) {
      for (const rule of parsed) {
        const out = applyRule(rule, dn);
        if (out !== undefined) return out;
      }
      return undefined;
    },
  };
}

/** Where a pattern or replacement ends: the first `/` not escaped (or -1). */
function scanPart(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    if (s[i] === '\\') {
      if (i + 1 >= s.length) return -1;
      i++;
    } else if (s[i] === '/') return i;
  }
  return -1;
}

/** After `i`: blanks then a comma or the end? Returns the index past the separator, or -1. */
function separatorAt(s: string, i: number): number {
  let j = i;
  while (j < s.length && /\s/.test(s[j])) j++;
  if (j === s.length) return j;
  if (s[j] !== ',') return -1;
  j++;
  while (j < s.length && /\s/.test(s[j])) j++;
  return j;
}

/** The first index at or after `from` where a separator starts. */
function nextSeparator(s: string, from: number): number {
  for (let i = from; i <= s.length; i++) if (separatorAt(s, i) !== -1) return i;
  return s.length;
}

/**
 * The list split into rule texts. A RULE's pattern may hold commas, so a rule is read as a whole
 * before the next comma is looked for; text that is no rule runs to the next comma.
 */
function splitRules(s: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < s.length) {
    while (pos < s.length && /\s/.test(s[pos])) pos++;
    let end = -1;
    if (s.startsWith('DEFAULT', pos) && separatorAt(s, pos + 7) !== -1) end = pos + 7;
    else if (s.startsWith('RULE:', pos)) {
      const p = scanPart(s, pos + 5);
      const r = p === -1 ? -1 : scanPart(s, p + 1);
      if (r !== -1) end = nextSeparator(s, r + 1);
    }
    if (end === -1) end = nextSeparator(s, pos);
    out.push(s.slice(pos, end));
    const next = separatorAt(s, end);
    if (next <= end) break;
    pos = next;
  }
  return out;
}

function parseRule(text: string): Rule[] {
  if (text === '') return []; // empty rules are ignored, as Kafka does
  const invalid = (at: number) =>
    new PrincipalMappingError(`Invalid rule: \`${text}\`, unmatched substring: \`${text.slice(at)}\``);
  if (text.startsWith('DEFAULT')) {
    if (text.length !== 7) throw invalid(7);
    return [{ kind: 'default' }];
  }
  const p = text.startsWith('RULE:') ? scanPart(text, 5) : -1;
  const r = p === -1 ? -1 : scanPart(text, p + 1);
  if (r === -1) throw invalid(0);
  let end = r + 1;
  const flag = text[end] === 'L' || text[end] === 'U' ? text[end] : '';
  if (flag) end++;
  if (end !== text.length) throw invalid(end);
  const source = text.slice(5, p);
  let pattern: RegExp;
  let whole: RegExp;
  try {
    pattern = new RegExp(source, 'g');
    whole = new RegExp(`^(?:${source})$`);
  } catch (err) {
    throw new PrincipalMappingError(`Invalid rule: \`${text}\`: ${(err as Error).message}`);
  }
  // An empty alternative always matches, so the result's length counts the pattern's groups.
  const groups = (new RegExp(`${source}|`).exec('') ?? ['']).length - 1;
  return [
    {
      kind: 'rule',
      pattern,
      whole,
      groups,
      replacement: text.slice(p + 1, r),
      caseOp: flag as '' | 'L' | 'U',
    },
  ];
}

function applyRule(rule: Rule, dn: string): string | undefined {
  if (rule.kind === 'default') return dn;
  if (!rule.whole.test(dn)) return undefined;
  const { groups } = rule;
  const out = dn.replace(rule.pattern, (...args) => {
    const match = args[0] as string;
    const captured = args.slice(1, 1 + groups) as (string | undefined)[];
    return javaReplacement(rule.replacement, match, captured);
  });
  if (rule.caseOp === 'L') return out.toLowerCase();
  if (rule.caseOp === 'U') return out.toUpperCase();
  return out;
}

/**
 * One replacement as Java's Matcher.appendReplacement builds it, after Kafka's pass that turns a
 * reference to a missing group into text: `\x` is x; `$` and digits name the longest group number
 * that exists (the first digit always counts).
 */
function javaReplacement(
  replacement: string,
  match: string,
  groups: readonly (string | undefined)[],
): string {
  const count = groups.length;
  const group = (n: number) => (n === 0 ? match : (groups[n - 1] ?? ''));
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i];
    if (c === '\\') {
      i++;
      if (i < replacement.length) out += replacement[i];
      continue;
    }
    if (c !== '$') {
      out += c;
      continue;
    }
    let digits = '';
    for (let j = i + 1; j < replacement.length && /\d/.test(replacement[j]); j++) digits += replacement[j];
    if (digits === '')
      throw new PrincipalMappingError(`Illegal group reference in replacement \`${replacement}\``);
    // Kafka: a number past the groups drops digits from the right while that is still 10 or more;
    // if it is still too large, the `$` is text.
    if (count > 0 && digits[0] !== '0') {
      let n = Number(digits);
      while (n > count && n >= 10) n = Math.floor(n / 10);
      if (n > count) {
        out += '$';
        continue;
      }
    }
    // Java: the first digit always, then each next digit while the number stays a group.
    let ref = Number(digits[0]);
    let used = 1;
    while (used < digits.length && ref * 10 + Number(digits[used]) <= count) {
      ref = ref * 10 + Number(digits[used]);
      used++;
    }
    if (ref > count) throw new PrincipalMappingError(`No group ${ref} in replacement \`${replacement}\``);
    out += group(ref);
    i += used;
  }
  return out;
}

/** RFC 2253 keywords Java's X500Principal writes; other attributes appear as OID=#hex of their DER. */
const RFC2253_KEYWORDS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/**
 * The subject of a DER certificate as X500Principal.getName() (RFC 2253): the last RDN first,
 * `,` between them, special characters escaped with `\`.
 */
export function subjectDistinguishedName(der: Buffer): string {
  const cert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(der.toString('binary')));
  const rdns = cert.subject.attributes as { type: string; value: string; valueTagClass: number }[];
  return rdns
    .map((a) => {
      const keyword = RFC2253_KEYWORDS[a.type];
      if (keyword) return `${keyword}=${escapeValue(decodeValue(a))}`;
      const value = forge.asn1.toDer(
        forge.asn1.create(forge.asn1.Class.UNIVERSAL, a.valueTagClass, false, a.value),
      );
      return `${a.type}=#${Buffer.from(value.getBytes(), 'binary').toString('hex')}`;
    })
    .reverse()
    .join(',');
}

/** forge keeps a UTF8String's bytes as a binary string. */
function decodeValue(a: { value: string; valueTagClass: number }): string {
  return a.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(a.value) : a.value;
}

/** RFC 2253 §2.4: `,+"\<>;` always, `#` and a space at the start, a space at the end. */
function escapeValue(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    const special =
      ',+"\\<>;'.includes(c) || (i === 0 && (c === '#' || c === ' ')) || (i === v.length - 1 && c === ' ');
    out += special ? `\\${c}` : c;
  }
  return out;
}
