/**
 * How kafka-consumer-groups names a broker's error in its output: Java's exception class and the
 * message Kafka's `Errors` enum gives it (Throwable.toString), for the codes the group commands meet.
 * kafkalab prints them the same way so that a script or a learner sees one text on both tools; the
 * strings are Kafka's user-facing output, not code. Other codes fall back to kafkalab's own name.
 */
import { errorByCode } from '../../protocol/error-codes.js';

const JAVA_ERRORS: Record<number, [exception: string, message: string]> = {
  3: ['UnknownTopicOrPartitionException', 'This server does not host this topic-partition.'],
  15: ['CoordinatorNotAvailableException', 'The coordinator is not available.'],
  16: ['NotCoordinatorException', 'This is not the correct coordinator.'],
  24: ['InvalidGroupIdException', 'The configured groupId is invalid.'],
  25: ['UnknownMemberIdException', 'The coordinator is not aware of this member.'],
  29: ['TopicAuthorizationException', 'Topic authorization failed.'],
  30: ['GroupAuthorizationException', 'Group authorization failed.'],
  68: ['GroupNotEmptyException', 'The group is not empty.'],
  69: ['GroupIdNotFoundException', 'The group id does not exist.'],
  86: [
    'GroupSubscribedToTopicException',
    'Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.',
  ],
};

/** The default message of a code, as Kafka's exception carries it. */
export function javaMessage(code: number): string {
  return JAVA_ERRORS[code]?.[1] ?? errorByCode(code)?.message ?? `error code ${code}`;
}

/** `org.apache.kafka.common.errors.XException: message` (a broker's own message when it sent one). */
export function javaError(code: number, brokerMessage?: string | null): string {
  const known = JAVA_ERRORS[code];
  const name = known ? known[0] : (errorByCode(code)?.name ?? `UNKNOWN_CODE_${code}`);
  return `org.apache.kafka.common.errors.${name}: ${brokerMessage ?? javaMessage(code)}`;
}
