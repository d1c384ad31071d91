/**
 * Declaring an API is not serving it (issue 12): src/protocol/messages declares every API Kafka 4.1
 * knows, but the emulator's ApiVersions must list only what its handler list serves, and a request
 * of an API that is declared but not served closes the connection, as Kafka does for a key it does
 * not serve, rather than being answered by a handler that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src/emulator/handlers/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import { encodeRequestFrame } from '../../src/protocol/frame.js';
import { ALL_APIS, ApiVersions } from '../../src/protocol/messages/index.js';
import { codecFor } from '../../src/protocol/schema/codec.js';
import { defaultStruct } from '../../src/protocol/schema/defaults.js';
import { parseVersions } from '../../src/protocol/schema/versions.js';
import { WireClient } from './support/wire-client.js';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});

afterAll(async () => {
  await emulator.stop();
});

const servedKeys = new Set(HANDLERS.map((h) => h.api.apiKey));
const unserved = ALL_APIS.filter((a) => !servedKeys.has(a.apiKey));

describe('declared but not served', () => {
  it('ApiVersions lists exactly the handlers, none of the other declared APIs', async () => {
    expect(unserved.length).toBeGreaterThan(0);
    const c = await WireClient.connect(emulator.port);
    const v = await c.request(ApiVersions, 3, {
      clientSoftwareName: 'kafkalab-test',
      clientSoftwareVersion: '1',
    });
    c.close();
    const advertised = v.apiKeys.map((k) => k.apiKey);
    expect(advertised.filter((k) => !servedKeys.has(k))).toEqual([]);
    expect(advertised.sort((a, b) => a - b)).toEqual([...servedKeys].sort((a, b) => a - b));
    for (const h of HANDLERS) {
      expect(v.apiKeys.find((k) => k.apiKey === h.api.apiKey)).toEqual({
        apiKey: h.api.apiKey,
        minVersion: h.versions.min,
        maxVersion: h.versions.max,
      });
    }
  });

  it('a well-formed request of each declared, unserved API closes its connection without a response', async () => {
    for (const api of unserved) {
      const version = parseVersions(api.request.validVersions).high;
      // Defaults make a valid body at any version; the point is that it decodes yet is not served.
      const body = codecFor(api.request, version).decode(
        codecFor(api.request, version).encode(defaultStruct(api.request.body, version) as never),
      );
      const frame = encodeRequestFrame({
        api,
        version,
        correlationId: 1,
        clientId: 't',
        body: body as never,
      });
      const c = await WireClient.connect(emulator.port);
      const received: Buffer[] = [];
      c.socket.on('data', (d) => received.push(d));
      c.writeRaw(frame);
      await c.closed;
      expect(Buffer.concat(received).length, `${api.name} v${version}`).toBe(0);
    }
  });
});
