export const MAX_FRAME_BYTES: number
export const MAX_TOPICS: number
export const MAX_TOPIC_LENGTH: number
export const MAX_CONNECTIONS_PER_ADDRESS: number
export const MAX_MEMBERS_PER_ROOM: number
export const MAX_ROOMS: number
export const MAX_BUFFERED_BYTES: number
