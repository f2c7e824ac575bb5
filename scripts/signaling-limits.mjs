// What one peer can make the signaling server hold (signaling-server.mjs; the TLS
// front in servers.mjs counts connections per address). Numbers only, no imports.

/**
 * The largest frame taken (64 KiB). Honest frames are y-webrtc's: a subscription to a
 * space's rooms, or one encrypted offer, answer or ICE candidate, each a few KB at
 * most; an offer with many candidates stays under 10 KB. A larger frame closes only
 * the connection that sent it (ws answers 1009).
 */
export const MAX_FRAME_BYTES = 64 * 1024
/** Rooms one connection may be in: a device joins two per community (public, staff). */
export const MAX_TOPICS = 64
/** A room's name: y-webrtc's are a space's room id and a suffix, well under this. */
export const MAX_TOPIC_LENGTH = 256
/**
 * Connections from one address. A phone holds one per signaling server, a browser one
 * per open tab; the tests run a dozen browsers and hubs from 127.0.0.1. Behind the TLS
 * front every connection comes from loopback, so there the front counts (servers.mjs).
 */
export const MAX_CONNECTIONS_PER_ADDRESS = 64
/** Members of one room. y-webrtc connects to 20–34 of them; more only costs the server. */
export const MAX_MEMBERS_PER_ROOM = 256
/** Rooms on the whole server, so many connections each naming 64 rooms stay bounded. */
export const MAX_ROOMS = 50_000
/**
 * What may wait unsent to one connection. Past it, messages to that reader are dropped,
 * so one that stops reading cannot make the server hold what others publish.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024
