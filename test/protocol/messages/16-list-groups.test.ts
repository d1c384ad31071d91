// Golden frames for ListGroups, worked out by hand from the protocol rules
// (/work/shared/notes/wire-format.md).
import { describe, expect, it } from 'vitest';
import { ListGroups } from '../../../src/protocol/messages/16-list-groups.js';
import { codecFor } from '../../../src/protocol/schema/codec.js';
import { hexLayout } from './hex-layout.js';

describe('ListGroups golden frames', () => {
  it('request v2 (classic) has an empty body', () => {
    const codec = codecFor(ListGroups.request, 2);
    expect(codec.encode({})).toEqual(Buffer.alloc(0));
    expect(codec.decode(Buffer.alloc(0))).toEqual({ statesFilter: [], typesFilter: [] });
  });

  it('request v5 (flexible): state and type filters (KIP-518, KIP-848)', () => {
    const bytes = hexLayout(`
      02 07 537461626c65        statesFilter: 1 element, "Stable" (6 bytes +1)
      03                        typesFilter: 2 elements
        08 636c6173736963       "classic"
        09 636f6e73756d6572     "consumer"
      00                        tag buffer
    `);
    const value = { statesFilter: ['Stable'], typesFilter: ['classic', 'consumer'] };
    const codec = codecFor(ListGroups.request, 5);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });

  it('request v3 (flexible) is just the tag buffer', () => {
    const codec = codecFor(ListGroups.request, 3);
    expect(codec.encode({})).toEqual(Buffer.from([0]));
  });

  it('response v2 (classic): state and type decode to ""', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      0000                      errorCode: 0
      00000001                  groups: ARRAY count 1
        0001 67                 groupId: "g"
        0008 636f6e73756d6572   protocolType: "consumer"
    `);
    const codec = codecFor(ListGroups.response, 2);
    expect(codec.encode({ groups: [{ groupId: 'g', protocolType: 'consumer' }] })).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [{ groupId: 'g', protocolType: 'consumer', groupState: '', groupType: '' }],
    });
  });

  it('response v5 (flexible): an empty KIP-848 group', () => {
    const bytes = hexLayout(`
      00000000                  throttleTimeMs: 0
      0000                      errorCode: 0
      02                        groups: 1 element
        02 67                   groupId: "g"
        01                      protocolType: "" (consumer groups have none)
        06 456d707479           groupState: "Empty"
        09 636f6e73756d6572     groupType: "consumer"
        00                      ListedGroup tag buffer
      00                        response tag buffer
    `);
    const value = {
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [{ groupId: 'g', protocolType: '', groupState: 'Empty', groupType: 'consumer' }],
    };
    const codec = codecFor(ListGroups.response, 5);
    expect(codec.encode(value)).toEqual(bytes);
    expect(codec.decode(bytes)).toEqual(value);
  });
});
