/**
 * Topic subscriptions by regular expression (KIP-848's subscribedTopicRegex), resolved by the
 * coordinator as Kafka 4.1.1 does: batched off the heartbeat path, at most once per 10 s per group,
 * when there is a reason to. Patterns are RE2/J's (re2j.ts), matched against whole topic names.
 */
import type { ConsumerGroup } from './consumer-group.js';
import { type CoordinatorSteps, Refusal, sameMetadata } from './coordinator-steps.js';
import { compileTopicRegex, Re2SyntaxError, type TopicRegex } from './re2j.js';
import { ConsumerGroupErrors as E } from './types.js';

/** GroupMetadataManager.REGEX_BATCHING_INTERVAL_MS: at most one resolution of a group's regexes per 10 s. */
const REGEX_BATCHING_INTERVAL_MS = 10_000;

export class RegexResolution {
  constructor(private readonly steps: CoordinatorSteps) {}

  /**
   * GroupMetadataManager.maybeUpdateRegularExpressions (Kafka 4.1.1, read from the jar's bytecode).
   * Kafka resolves regexes off the heartbeat path, batched: a heartbeat schedules a resolution of
   * every regex of the group when one is not already running, the last one started more than 10 s
   * ago (REGEX_BATCHING_INTERVAL_MS), and there is a reason — a regex no resolution has seen yet,
   * topics created since the last one, or group.consumer.regex.refresh.interval.ms (10 min) passed.
   * The resolution's result bumps the group epoch when it differs (handled in resolveNow); a member
   * moving to a regex the group has already resolved bumps it at once (the return value).
   * The resolution runs on the cluster's clock at 0 ms: the next heartbeat sees its epoch.
   */
  maybeUpdateRegularExpressions(
    group: ConsumerGroup,
    oldRegex: string | null,
    newRegex: string | null,
    canDescribeTopic: (topic: string) => boolean = () => true,
  ): boolean {
    const now = this.steps.clock.now();
    let bump = false;
    let requireRefresh = false;
    if (oldRegex !== newRegex) {
      // The last member of a regex leaving it takes its resolution away (Kafka writes a tombstone).
      if (oldRegex !== null && numSubscribedMembers(group, oldRegex) === 0) {
        group.resolvedRegex.delete(oldRegex);
      }
      if (newRegex !== null) {
        if (numSubscribedMembers(group, newRegex) === 1) requireRefresh = true;
        else bump = group.resolvedRegex.has(newRegex);
      }
    }
    const regexes = new Set<string>();
    for (const m of group.members.values())
      if (m.subscribedTopicRegex !== null) regexes.add(m.subscribedTopicRegex);
    if (!requireRefresh && regexes.size === 0) return bump;
    if (group.regexRefreshPending) return bump;
    const last = group.lastRegexRefreshMs;
    if (last !== undefined && now <= last + REGEX_BATCHING_INTERVAL_MS) return bump;
    requireRefresh ||=
      regexes.size !== group.resolvedRegex.size ||
      this.topicsCreatedSince(group) ||
      last === undefined ||
      now > last + this.steps.config.regexRefreshIntervalMs;
    if (!requireRefresh || regexes.size === 0) return bump;
    group.regexRefreshPending = true;
    this.steps.clock.schedule(0, () => this.resolveNow(group, now, canDescribeTopic));
    return bump;
  }

  /** A topic exists that the last resolution did not see (Kafka: lastMetadataImageWithNewTopics). */
  private topicsCreatedSince(group: ConsumerGroup): boolean {
    for (const t of this.steps.topics.all()) if (!group.regexTopicIds.has(t.id)) return true;
    return false;
  }

  /** The resolution's completion: new results bump the group epoch (and so a new target assignment). */
  private resolveNow(
    group: ConsumerGroup,
    startedMs: number,
    canDescribeTopic: (topic: string) => boolean,
  ): void {
    group.regexRefreshPending = false;
    if (this.steps.stopped || this.steps.group(group.groupId) !== group) return;
    const resolved = this.resolveRegexes(group, canDescribeTopic);
    let changed = resolved.size !== group.resolvedRegex.size;
    for (const [regex, names] of resolved) {
      if (group.resolvedRegex.get(regex)?.join('\0') !== names.join('\0')) changed = true;
    }
    group.resolvedRegex.clear();
    for (const [regex, names] of resolved) group.resolvedRegex.set(regex, names);
    group.lastRegexRefreshMs = startedMs;
    group.regexTopicIds = new Set(this.steps.topics.all().map((t) => t.id));
    const metadata = this.steps.subscriptionMetadata(group);
    if (changed || !sameMetadata(metadata, group.subscriptionMetadata)) {
      group.subscriptionMetadata = metadata;
      group.groupEpoch++;
    }
  }

  /** Every regex the members use, resolved against the topics that exist now (full match, sorted). */
  private resolveRegexes(
    group: ConsumerGroup,
    canDescribeTopic: (topic: string) => boolean,
  ): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const m of group.members.values()) {
      const regex = m.subscribedTopicRegex;
      if (regex === null || out.has(regex)) continue;
      // Kafka logs a regex it cannot compile and leaves it unresolved; one that got in was valid.
      let re: TopicRegex;
      try {
        re = compileTopicRegex(regex);
      } catch {
        continue;
      }
      out.set(
        regex,
        this.steps.topics
          .all()
          .map((t) => t.name)
          .filter((n) => re.matches(n) && canDescribeTopic(n))
          .sort(),
      );
    }
    return out;
  }
}

/** ConsumerGroup.numSubscribedMembers(regex). */
export function numSubscribedMembers(group: ConsumerGroup, regex: string): number {
  let n = 0;
  for (const m of group.members.values()) if (m.subscribedTopicRegex === regex) n++;
  return n;
}

/** Utils.throwIfRegularExpressionIsInvalid: RE2/J's description in Kafka's message. */
export function compileRegex(source: string): TopicRegex {
  try {
    return compileTopicRegex(source);
  } catch (e) {
    if (!(e instanceof Re2SyntaxError)) throw e;
    throw new Refusal(
      E.INVALID_REGULAR_EXPRESSION,
      `SubscribedTopicRegex \`${source}\` is not a valid regular expression: ${e.description}.`,
    );
  }
}
