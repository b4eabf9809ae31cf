// index.ts — the public API of adbit: named re-exports only (the one barrel, ARCHITECTURE.md §10).
// Layers: util → native → wire → (dnssec | cache | transport) → resolver → (server | apps) → cli.

// Errors (the only exceptions adbit throws; DNS outcomes are values)
export { AdbitError, InvalidArgumentError, AbortedError, ClosedError, NativeLoadError, InternalError } from './util/errors.js';
export { type Clock, systemClock } from './util/clock.js';
export { type Random, cryptoRandom } from './util/random.js';
export { channels, createJsonLogger, type Logger } from './util/log.js';

// Native core
export { parseMessage, type ParseResult } from './native/parse.js';
export { CryptoBatch, BatchResult, type BatchParams, type JobStatus } from './native/batch.js';

// Wire format
export { Name } from './wire/name.js';
export { Message, RecordValue, type ResourceRecord, type Question, type MessageResult } from './wire/message.js';
export { groupRRsets, type RRset } from './wire/rrset.js';
export { MessageBuilder, buildQuery, type QueryParams } from './wire/encode.js';
export { RRType, RRClass, Rcode, Opcode, EdnsOption, DnssecAlgorithm, DigestType, typeToText, typeFromText } from './wire/constants.js';
export { recordToText, messageToText, recordFromText, toZoneLine } from './wire/text.js';
export { decodeRdata, type Rdata } from './wire/rdata/codec.js';

// DNSSEC
export { Security, type Outcome, type Reason, type Proven, require, weakest, edeCodes, edeExtraText } from './dnssec/outcome.js';
export { REASONS, type ReasonCode } from './dnssec/reasons.js';
export { Ede, type EdeCode } from './dnssec/ede.js';
export { TrustAnchorStore } from './dnssec/trust-anchors.js';
export { AnchorFileError } from './dnssec/anchor-files.js';
export { AnchorStateError } from './dnssec/anchor-state.js';
export { Validator, type ValidatorOptions } from './dnssec/validator.js';
export type { Fetcher, FetchResult, UpstreamResponse, ValidationInput } from './dnssec/fetcher.js';

// Transport and resolver
export { NetTransport, type Transport } from './transport/transport.js';
export type { ServerAddress, ExchangeResult } from './transport/types.js';
export { Resolver, type ResolverOptions, type ResolveOptions } from './resolver/resolver.js';
export type { Answer, ResolveQuestion } from './resolver/answer.js';
export { IANA_ROOT_HINTS, parseRootHints, readRootHintsFile, type RootHints } from './resolver/hints.js';

// DANE for SMTP
export { matchTlsa, usableTlsa, verifyTlsSocket, peerChain } from './apps/dane/match.js';
export { smtpStarttls, type StarttlsResult, type StarttlsOptions } from './apps/dane/starttls.js';
export { CertUsage, Selector, MatchingType, type TlsaRecord, type DaneIds, type DaneMatch } from './apps/dane/types.js';
export { ResolverSource, RemoteSource, type DnsSource, type DnsLookup, type RemoteSourceOptions } from './apps/source.js';
export { resolveMx, type MxHost, type MxResult } from './apps/mx.js';
export { resolveTlsa, resolveHostAddresses, type TlsaResult, type HostAddresses } from './apps/tlsa.js';
export { daneCheck, hostPolicy, type DaneReport, type HostReport, type DomainVerdict, type HostVerdict } from './apps/dane/check.js';
export { daneNextHop, daneNextHops, type MtaNextHop, type MtaOptions } from './apps/dane/mta.js';
export type { HostPolicy, PolicyWord } from './apps/dane/smtp-policy.js';
