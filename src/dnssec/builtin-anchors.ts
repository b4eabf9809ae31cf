// builtin-anchors.ts — the IANA root zone trust anchors compiled in as the default, as DS records
// (RFC 4034 §5). Source: https://data.iana.org/root-anchors/root-anchors.xml (KeyDigest
// "Klajeyz" validFrom 2017-02-02 and "Kmyv6jo" validFrom 2024-07-18), identical to Debian's
// dns-root-data /usr/share/dns/root.ds (checked byte for byte when this file was written).
import { fromHex } from '../util/bytes.js';
import { Name } from '../wire/name.js';
import type { TrustAnchor } from './anchor-files.js';

/** The root anchors as zone-file text (the same lines Debian ships in root.ds). */
export const ROOT_DS_TEXT = [
  '. IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D',
  '. IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16',
].join('\n');

/** KSK-2017 (tag 20326) and KSK-2024 (tag 38696), RSASHA256, SHA-256 digests. */
export function builtinRootAnchors(): TrustAnchor[] {
  const mk = (tag: number, hex: string): TrustAnchor => ({
    type: 'DS', owner: Name.ROOT, source: 'builtin',
    ds: { type: 'DS', keyTag: tag, algorithm: 8, digestType: 2, digest: fromHex(hex) },
  });
  return [
    mk(20326, 'E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D'),
    mk(38696, '683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16'),
  ];
}
