/**
 * librdkafka's mock cluster, started from Python (Debian package python3-confluent-kafka, installed by
 * .ci/run): a broker written independently of Kafka and of kafkalab, with its own reading of the
 * protocol (KIP-511 answers in the asked form, for one).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { type ChildCluster, startChildCluster } from './child-cluster.js';

const SCRIPT = join(import.meta.dirname, 'librdkafka-mock.py');

/**
 * The first Python that imports confluent_kafka. A pyenv or venv `python3` on PATH may not see the
 * Debian package, which lives with /usr/bin/python3.
 */
export function pythonWithConfluentKafka(): string {
  const tried: string[] = [];
  for (const python of [process.env.KAFKALAB_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!python) continue;
    const r = spawnSync(python, ['-c', 'import confluent_kafka'], { encoding: 'utf8', timeout: 20_000 });
    if (r.status === 0) return python;
    tried.push(
      `${python}: ${(r.error?.message ?? r.stderr.trim().split('\n').at(-1)) || `exit ${r.status}`}`,
    );
  }
  throw new Error(
    `no Python with confluent_kafka (apt-get install python3-confluent-kafka, as .ci/run does; or set KAFKALAB_PYTHON): ${tried.join('; ')}`,
  );
}

export function startLibrdkafkaMock(o: { brokers?: number } = {}): Promise<ChildCluster> {
  return startChildCluster({
    name: 'librdkafka mock cluster',
    command: pythonWithConfluentKafka(),
    args: [SCRIPT, String(o.brokers ?? 1)],
  });
}
